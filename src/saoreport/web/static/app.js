// The Markdown editor's preview follows the typing (without this script, the Preview button
// sends the form back and the page shows the same preview).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const area = document.querySelector("textarea[data-preview]");
  if (!area) return;
  const target = document.getElementById(area.dataset.previewTarget);
  const token = area.form.querySelector("input[name=csrf]").value;
  let timer = null;
  area.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const body = new URLSearchParams({ text: area.value });
      const answer = await fetch(area.dataset.preview, {
        method: "POST", body, headers: { "X-CSRF-Token": token }, credentials: "same-origin",
      });
      if (answer.ok) target.innerHTML = await answer.text();
    }, 400);
  });
});
