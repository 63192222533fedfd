// Small enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const radio = event.target.closest("[data-commune-label]");
  if (!radio) return;
  const input = document.querySelector("[data-commune-query]");
  if (input) input.value = radio.dataset.communeLabel;
});

// A row of chips that scrolls sideways keeps its fade on the right only while
// there is more to see; the chosen chip is scrolled into view.
for (const frame of document.querySelectorAll(".chips-frame")) {
  const row = frame.querySelector(".chips");
  const update = () => {
    const more = row.scrollLeft + row.clientWidth < row.scrollWidth - 4;
    frame.classList.toggle("chips-frame--more", more);
  };
  const active = row.querySelector("[aria-current]");
  if (active && active.offsetLeft + active.offsetWidth > row.clientWidth) {
    row.scrollLeft = active.offsetLeft - 16;
  }
  row.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
}

// "In bài học": prints the lesson as a leaflet (site.css, @media print).
// Screenshots load lazily: all are fetched first, so that none prints blank.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const images = [...document.querySelectorAll("img[loading=lazy]")];
    for (const image of images) image.loading = "eager";
    await Promise.all(images.map((image) => image.decode().catch(() => {})));
    window.print();
  });
}

// "Bài này có giúp bạn không?" is sent without leaving the lesson; the answer
// (or what to correct) takes the form's place. Without this, the form posts.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-feedback]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!response.ok && response.status !== 400 && response.status !== 429) throw response;
    const section = form.closest(".feedback");
    section.outerHTML = await response.text();
    document.getElementById("y-kien-title")?.focus();
  } catch {
    form.submit();
  }
});
