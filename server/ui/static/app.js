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
