// Small enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const radio = event.target.closest("[data-commune-label]");
  if (!radio) return;
  const input = document.querySelector("[data-commune-query]");
  if (input) input.value = radio.dataset.communeLabel;
});
