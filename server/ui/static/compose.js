// Porte-Voix composer: autosave, live preview and ordered pickers. The composing form works
// without this file (its button saves, its Monter/Descendre/Retirer buttons reorder).
"use strict";

const form = document.querySelector("form[data-autosave]");
if (form) {
	const status = document.getElementById("save-status");
	const previewStatus = document.getElementById("preview-status");
	const frame = document.getElementById("preview-frame");
	const version = form.elements.namedItem("version");
	let saveTimer, previewTimer, saving = false, again = false, stopped = false, asked = 0;
	let lastSaved = serialize();

	function fields() {
		const data = new FormData(form);
		data.delete("move");
		data.delete("version"); // sent as If-Match
		return data;
	}

	function serialize() {
		return new URLSearchParams(fields()).toString();
	}

	// state says, for whoever watches the page (the tests), whether everything is saved.
	function state(value) {
		form.dataset.state = value;
	}

	function say(element, text, problem) {
		element.textContent = text;
		element.classList.toggle("problem", Boolean(problem));
	}

	// The preview: the server composes the form as it stands, as it composes the PDF, and
	// the frame's article is replaced; the form itself is never redrawn.
	async function preview() {
		const mine = ++asked;
		try {
			const response = await fetch(form.dataset.previewUrl, {method: "POST", body: fields(), credentials: "same-origin"});
			const text = await response.text();
			if (mine !== asked) {
				return;
			}
			if (!response.ok) {
				say(previewStatus, "Aperçu non mis à jour\u00a0: " + text, true);
				return;
			}
			const doc = frame.contentDocument;
			if (doc && doc.body) {
				doc.body.innerHTML = text;
				say(previewStatus, "Aperçu à jour.", false);
			}
		} catch {
			say(previewStatus, "Aperçu non mis à jour (connexion perdue).", true);
		}
	}

	// Autosave: the version the page holds goes in If-Match, so that someone else's change
	// is never overwritten; a 412 says who made it and stops saving until a reload.
	async function save() {
		if (stopped) {
			return;
		}
		const body = serialize();
		if (body === lastSaved) {
			state("saved");
			return;
		}
		if (saving) {
			again = true;
			return;
		}
		saving = true;
		say(status, "Enregistrement…", false);
		try {
			const response = await fetch(form.action, {method: "POST", body: fields(), credentials: "same-origin",
				headers: {"X-Autosave": "1", "If-Match": "\"" + version.value + "\""}});
			const answer = await response.json();
			if (response.ok) {
				version.value = answer.version;
				lastSaved = body;
				say(status, answer.message + ".", false);
				refreshParts();
				state(serialize() === lastSaved ? "saved" : "pending");
			} else if (response.status === 412) {
				stopped = true;
				state("stale");
				say(status, answer.message + " Vos modifications sont toujours dans la page\u202f; copiez-les avant de recharger.", true);
			} else {
				say(status, answer.message, true);
			}
		} catch {
			say(status, "Non enregistré (connexion perdue)\u202f; nouvel essai à la prochaine modification.", true);
		} finally {
			saving = false;
			if (again) {
				again = false;
				schedule();
			}
		}
	}

	// After a save, the parts outside the form that depend on it (the status, the actions,
	// the approvals an edit cleared) are fetched again; the form is left alone.
	async function refreshParts() {
		try {
			const response = await fetch(location.pathname, {credentials: "same-origin"});
			if (!response.ok) {
				return;
			}
			const page = new DOMParser().parseFromString(await response.text(), "text/html");
			for (const id of ["status-badge", "communique-actions", "approbations"]) {
				const fresh = page.getElementById(id), here = document.getElementById(id);
				if (fresh && here) {
					here.replaceChildren(...fresh.childNodes);
				}
			}
		} catch {
			// the page is still right after a reload
		}
	}

	function schedule() {
		state("pending");
		clearTimeout(previewTimer);
		clearTimeout(saveTimer);
		previewTimer = setTimeout(preview, 400);
		saveTimer = setTimeout(save, 1200);
	}

	state("saved");
	form.addEventListener("input", schedule);
	form.addEventListener("change", schedule);
	form.addEventListener("submit", event => {
		if (event.submitter && event.submitter.name === "move") {
			event.preventDefault(); // moves are done in the page
		}
	});
	window.addEventListener("beforeunload", event => {
		if (!stopped && serialize() !== lastSaved) {
			save();
			event.preventDefault();
		}
	});

	for (const section of form.querySelectorAll("[data-picker]")) {
		setUpPicker(section, schedule);
	}
}

// A picker: the chosen records in order (moved by buttons or by dragging), and the others
// to check, filtered by a search field.
function setUpPicker(section, changed) {
	const list = section.querySelector("ol.picked");
	const empty = section.querySelector(".picked-empty");
	const field = section.dataset.picker;

	function refresh() {
		const items = [...list.children];
		items.forEach((li, i) => {
			li.querySelector("[data-move=up]").disabled = i === 0;
			li.querySelector("[data-move=down]").disabled = i === items.length - 1;
		});
		empty.hidden = items.length > 0;
		changed();
	}

	function labelOf(id) {
		return section.querySelector(`label.choice[data-id="${id}"]`);
	}

	function button(move, text, what) {
		const b = document.createElement("button");
		b.type = "submit";
		b.name = "move";
		b.className = "secondary small";
		b.dataset.move = move;
		b.value = `${field}:${what.id}:${move}`;
		b.append(text);
		const hidden = document.createElement("span");
		hidden.className = "sr";
		hidden.textContent = " " + what.label;
		b.append(hidden);
		return b;
	}

	// pick turns a checked record into the last item of the ordered list.
	function pick(label) {
		const input = label.querySelector("input");
		const what = {id: input.value, label: label.querySelector(".what").firstChild.textContent.trim()};
		const li = document.createElement("li");
		li.className = "picked-item";
		li.draggable = true;
		li.dataset.id = what.id;
		const hidden = document.createElement("input");
		hidden.type = "hidden";
		hidden.name = field;
		hidden.value = what.id;
		const moves = document.createElement("span");
		moves.className = "moves";
		moves.append(button("up", "Monter", what), " ", button("down", "Descendre", what), " ", button("remove", "Retirer", what));
		li.append(hidden, label.querySelector(".what").cloneNode(true), " ", moves);
		list.append(li);
		input.checked = false;
		label.hidden = true;
		refresh();
	}

	section.addEventListener("change", event => {
		const label = event.target.closest("label.choice");
		if (label && event.target.checked) {
			pick(label);
		}
	});

	section.addEventListener("click", event => {
		const b = event.target.closest("button[data-move]");
		if (!b) {
			return;
		}
		event.preventDefault();
		const li = b.closest("li");
		if (b.dataset.move === "up" && li.previousElementSibling) {
			li.previousElementSibling.before(li);
		} else if (b.dataset.move === "down" && li.nextElementSibling) {
			li.nextElementSibling.after(li);
		} else if (b.dataset.move === "remove") {
			const label = labelOf(li.dataset.id);
			li.remove();
			if (label) {
				label.hidden = false;
			}
			refresh();
			section.querySelector("summary").focus();
			return;
		}
		refresh();
		(b.disabled ? li.querySelector("button[data-move]:not(:disabled)") : b).focus(); // the focus stays on the item moved
	});

	// Dragging: the item follows the pointer among its siblings.
	let dragged = null;
	list.addEventListener("dragstart", event => {
		dragged = event.target.closest("li");
		dragged.classList.add("dragging");
		event.dataTransfer.effectAllowed = "move";
	});
	list.addEventListener("dragover", event => {
		event.preventDefault();
		const over = event.target.closest("li");
		if (!dragged || !over || over === dragged) {
			return;
		}
		const box = over.getBoundingClientRect();
		if (event.clientY > box.top + box.height / 2) {
			over.after(dragged);
		} else {
			over.before(dragged);
		}
	});
	list.addEventListener("dragend", () => {
		dragged.classList.remove("dragging");
		dragged = null;
		refresh();
	});

	// Searching: the records whose text holds every word typed, accents and case aside.
	const search = section.querySelector("[data-search-for]");
	const fold = s => s.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase();
	search.closest(".pick-search").hidden = false;
	search.addEventListener("input", event => {
		event.stopPropagation(); // a search is not a change of the communiqué
		const words = fold(search.value).split(/\s+/).filter(Boolean);
		for (const label of section.querySelectorAll("label.choice")) {
			const picked = list.querySelector(`li[data-id="${label.dataset.id}"]`);
			label.hidden = Boolean(picked) || !words.every(w => fold(label.textContent).includes(w));
		}
		for (const group of section.querySelectorAll(".pick-group")) {
			group.hidden = !group.querySelector("label.choice:not([hidden])");
		}
	});
}
