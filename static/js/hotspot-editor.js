// The question editor's drawing of hotspot regions: once a picture is chosen,
// it is shown above the regions; dragging on it (mouse or finger) draws a
// rectangle, which fills the first empty region row, or a new one. Every region
// is drawn on the picture, and redrawn as its numbers are typed. Without this
// script the editor types the regions' places in per cent.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.querySelector('select[name="kind"]');
  const image = document.querySelector('input[name="image"]');
  const forms = document.getElementById("id_regions-FORMS");
  const total = document.getElementById("id_regions-TOTAL_FORMS");
  if (!kind || !image || !forms || !total) return;
  const script = document.querySelector("script[data-hotspot-image-url]");
  const base = script && script.dataset.hotspotImageUrl;

  const board = document.createElement("div");
  board.className = "hotspot-editor";
  board.style.cssText =
    "position:relative;display:inline-block;max-width:100%;margin:0 0 1rem;touch-action:none;user-select:none;line-height:0";
  const picture = document.createElement("img");
  picture.alt = "";
  picture.style.cssText = "max-width:100%;height:auto;cursor:crosshair";
  picture.draggable = false;
  board.append(picture);
  const help = document.createElement("p");
  help.className = "help";
  forms.before(help, board);

  const field = (n, name) => document.getElementById(`id_regions-${n}-${name}`);
  const rows = () => {
    const found = [];
    for (let n = 0; n < Number(total.value); n += 1) {
      if (!field(n, "x")) continue;
      const deleted = document.getElementById(`id_regions-${n}-DELETE`);
      if (deleted && (deleted.checked || deleted.value === "1")) continue;
      found.push(n);
    }
    return found;
  };
  const number = (input) => Number(String(input?.value || "").replace(",", "."));

  const redraw = () => {
    board.querySelectorAll(".hotspot-editor__region").forEach((el) => el.remove());
    for (const n of rows()) {
      const [x, y, w, h] = ["x", "y", "width", "height"].map((name) => number(field(n, name)));
      if (!w || !h) continue;
      const box = document.createElement("div");
      const right = field(n, "is_correct")?.checked;
      box.className = "hotspot-editor__region";
      box.title = field(n, "label")?.value || "";
      box.textContent = box.title;
      box.style.cssText = `position:absolute;left:${x}%;top:${y}%;width:${w}%;height:${h}%;border:3px solid ${right ? "#15803d" : "#b91c1c"};background:${right ? "rgba(21,128,61,.15)" : "rgba(185,28,28,.12)"};font:12px/1.2 sans-serif;color:#111;overflow:hidden;pointer-events:none`;
      board.append(box);
    }
  };

  const fill = (box) => {
    let target = rows().find((n) => !field(n, "x").value);
    const put = (n) => {
      ["x", "y", "width", "height"].forEach((name, i) => {
        field(n, name).value = box[i].toFixed(3);
      });
      field(n, "label")?.focus();
      redraw();
    };
    if (target !== undefined) {
      put(target);
      return;
    }
    const add = document.getElementById("id_regions-ADD");
    if (!add) return;
    add.click();
    setTimeout(() => {
      target = rows().find((n) => !field(n, "x").value);
      if (target !== undefined) put(target);
    }, 50);
  };

  let start = null;
  let sketch = null;
  const at = (event) => {
    const rect = picture.getBoundingClientRect();
    return [
      Math.min(100, Math.max(0, ((event.clientX - rect.left) / rect.width) * 100)),
      Math.min(100, Math.max(0, ((event.clientY - rect.top) / rect.height) * 100)),
    ];
  };
  board.addEventListener("pointerdown", (event) => {
    start = at(event);
    board.setPointerCapture(event.pointerId);
    sketch = document.createElement("div");
    sketch.style.cssText = "position:absolute;border:2px dashed #1d4ed8;pointer-events:none";
    board.append(sketch);
    event.preventDefault();
  });
  board.addEventListener("pointermove", (event) => {
    if (!start) return;
    const [x, y] = at(event);
    Object.assign(sketch.style, {
      left: `${Math.min(x, start[0])}%`,
      top: `${Math.min(y, start[1])}%`,
      width: `${Math.abs(x - start[0])}%`,
      height: `${Math.abs(y - start[1])}%`,
    });
  });
  board.addEventListener("pointerup", (event) => {
    if (!start) return;
    const [x, y] = at(event);
    const box = [Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1])];
    start = null;
    sketch.remove();
    if (box[2] >= 1 && box[3] >= 1) fill(box);
  });

  let shownFor = null;
  const refresh = () => {
    const hotspot = kind.value === "hotspot";
    board.hidden = help.hidden = !hotspot || !image.value;
    if (!hotspot || !image.value || !base) return;
    if (shownFor === image.value) return;
    shownFor = image.value;
    fetch(base.replace(/\/0\/$/, `/${image.value}/`), { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!data) return;
        picture.src = data.url;
        help.textContent = data.help;
        redraw();
      });
  };
  kind.addEventListener("change", refresh);
  image.addEventListener("change", refresh);
  new MutationObserver(refresh).observe(image, { attributes: true, attributeFilter: ["value"] });
  forms.addEventListener("input", redraw);
  forms.addEventListener("change", redraw);
  refresh();
});
