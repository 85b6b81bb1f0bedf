// Copy buttons: <button data-copy="ID"> copies the text of the element with that id to the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(source.value ?? source.textContent);
    button.textContent = button.dataset.copied || "Copied";
  } catch {
    source.select?.();
    button.textContent = button.dataset.failed || "Select and copy";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});
