// Porte-Voix staff pages: small additions only; every form works without this file.
"use strict";

// A chosen image shows before it is sent: <input type="file" data-preview="ALT TEXT">.
for (const input of document.querySelectorAll("input[type=file][data-preview]")) {
	const img = document.createElement("img");
	img.className = "logo-preview";
	img.alt = input.dataset.preview;
	img.hidden = true;
	input.after(img);
	input.addEventListener("change", () => {
		const file = input.files[0];
		img.hidden = !file;
		if (file) {
			img.src = URL.createObjectURL(file);
		}
	});
}

// counter asks the server for a count's label and writes it into output; a later ask
// overtakes an earlier one still on its way. The count is a help: the form works without
// it, and the server counts again before sending.
function counter(output) {
	let asked = 0;
	return async (url) => {
		const mine = ++asked;
		try {
			const response = await fetch(url, {credentials: "same-origin"});
			if (response.ok && mine === asked) {
				output.textContent = (await response.json()).label;
				return true;
			}
		} catch {
			// no count shown
		}
		return false;
	};
}

// The list form shows how many recipients its rule gives, as it is built.
for (const form of document.querySelectorAll("form[data-live-count]")) {
	const box = form.querySelector("[data-count-url]");
	const count = counter(box.querySelector("output"));
	let timer;
	const update = async () => {
		const url = new URL(box.dataset.countUrl, location.href);
		for (const [name, value] of new FormData(form)) {
			if (name === "kinds" || name === "regions" || name === "tags") {
				url.searchParams.append(name, value);
			}
		}
		if (await count(url)) {
			box.hidden = false;
		}
	};
	form.addEventListener("input", () => {
		clearTimeout(timer);
		timer = setTimeout(update, 300);
	});
	update();
}

// A search form updates its results as one types: <form method="get" data-live-search="RESULTS-ID">.
// The page is fetched as if the form were sent, and its results replace these.
for (const form of document.querySelectorAll("form[data-live-search]")) {
	const results = document.getElementById(form.dataset.liveSearch);
	let timer, asked = 0;
	const search = async () => {
		const url = new URL(form.action, location.href);
		for (const [name, value] of new FormData(form)) {
			if (value !== "") {
				url.searchParams.append(name, value);
			}
		}
		const mine = ++asked;
		try {
			const response = await fetch(url, {credentials: "same-origin"});
			if (!response.ok || mine !== asked) {
				return;
			}
			const page = new DOMParser().parseFromString(await response.text(), "text/html");
			const fresh = page.getElementById(results.id);
			if (fresh) {
				results.replaceChildren(...fresh.childNodes);
				history.replaceState(null, "", url);
			}
		} catch {
			// the form still works by its button
		}
	};
	form.addEventListener("input", () => {
		clearTimeout(timer);
		timer = setTimeout(search, 300);
	});
}

// The send form shows how many people the ticked lists reach, each address once.
for (const form of document.querySelectorAll("form[data-campaign-count]")) {
	const count = counter(form.querySelector(".live-total output"));
	const update = () => {
		const url = new URL(form.dataset.campaignCount, location.href);
		for (const box of form.querySelectorAll("input[name=list_ids]:checked")) {
			url.searchParams.append("list_ids", box.value);
		}
		count(url);
	};
	form.addEventListener("change", (event) => {
		if (event.target.name === "list_ids") {
			update();
		}
	});
}

// A send's progress follows the server's events; a change of state (paused, finished)
// reloads the page, whose buttons then match it.
for (const card of document.querySelectorAll("[data-events]")) {
	if (!["sending", "paused", "scheduled"].includes(card.dataset.status)) {
		continue;
	}
	const bar = card.querySelector("progress");
	const events = new EventSource(card.dataset.events);
	const show = (message) => {
		const p = JSON.parse(message.data);
		for (const el of card.querySelectorAll("[data-live]")) {
			el.textContent = p[el.dataset.live];
		}
		bar.max = Math.max(p.total, 1);
		bar.value = p.handled;
		bar.textContent = p.percent + "\u00a0%";
		if (p.status !== card.dataset.status) {
			events.close();
			location.reload();
		}
	};
	events.addEventListener("progress", show);
	events.addEventListener("done", (message) => {
		events.close();
		show(message);
	});
}

// A quote's form shows only the fields of the kind chosen: <fieldset data-kind-choice> holds
// the radio buttons, <fieldset data-kind="KIND"> the fields of each kind.
for (const choice of document.querySelectorAll("fieldset[data-kind-choice]")) {
	const form = choice.form;
	const show = () => {
		const kind = form.querySelector("input[name=kind]:checked")?.value;
		for (const group of form.querySelectorAll("fieldset[data-kind]")) {
			group.hidden = group.dataset.kind !== kind;
		}
	};
	choice.addEventListener("change", show);
	show();
}

// Measures are also reordered by dragging one onto another of its axis: <li data-move="URL">.
// The drop posts the new position as the buttons post a direction, and the page reloads
// in its new order; the buttons stay for the keyboard.
for (const list of document.querySelectorAll("ol.measures")) {
	let dragged = null;
	const token = document.querySelector("input[name=csrf]")?.value;
	for (const item of list.querySelectorAll(":scope > li[data-move]")) {
		item.draggable = true;
		item.addEventListener("dragstart", (e) => {
			dragged = item;
			e.dataTransfer.effectAllowed = "move";
			e.dataTransfer.setData("text/plain", item.id);
			item.classList.add("dragging");
		});
		item.addEventListener("dragend", () => {
			item.classList.remove("dragging");
			dragged = null;
		});
		item.addEventListener("dragover", (e) => {
			if (dragged && dragged !== item) {
				e.preventDefault(); // allows the drop
				item.classList.toggle("drop-after", dropsAfter(item, e));
				item.classList.toggle("drop-before", !dropsAfter(item, e));
			}
		});
		item.addEventListener("dragleave", () => item.classList.remove("drop-before", "drop-after"));
		item.addEventListener("drop", (e) => {
			e.preventDefault();
			item.classList.remove("drop-before", "drop-after");
			if (!dragged || dragged === item || !token) {
				return;
			}
			const others = [...list.children].filter((li) => li !== dragged);
			const position = others.indexOf(item) + (dropsAfter(item, e) ? 1 : 0);
			post(dragged.dataset.move, {csrf: token, position: String(position)});
		});
	}
}

// dropsAfter says whether the pointer is on the lower half of item.
function dropsAfter(item, e) {
	const box = item.getBoundingClientRect();
	return e.clientY > box.top + box.height / 2;
}

// post sends a form as its button would, so that the answer is the next page.
function post(action, fields) {
	const form = document.createElement("form");
	form.method = "post";
	form.action = action;
	for (const [name, value] of Object.entries(fields)) {
		const input = document.createElement("input");
		input.type = "hidden";
		input.name = name;
		input.value = value;
		form.append(input);
	}
	document.body.append(form);
	form.submit();
}
