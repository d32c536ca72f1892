// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    button.textContent = "Copied";
  });
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});

// The queue: a "select all" box ticks every box of its name in the same form.
document.addEventListener("change", function (event) {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  const form = all.closest("form") || document;
  form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]').forEach(function (box) {
    box.checked = all.checked;
  });
});

// Panels that are open on wide screens and folded on narrow ones (<details data-open-from="992">).
// Without JavaScript they stay open.
(function () {
  document.querySelectorAll("details[data-open-from]").forEach(function (panel) {
    const wide = window.matchMedia("(min-width: " + panel.dataset.openFrom + "px)");
    const apply = function () { panel.open = wide.matches; };
    apply();
    wide.addEventListener("change", apply);
  });
})();

// An error summary's links move focus to the field, not only the scroll position.
document.addEventListener("click", function (event) {
  const link = event.target.closest(".error-summary a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({ block: "center" });
  field.focus();
});

// After an htmx swap, focus what the swap produced: the element marked
// data-focus-after-swap (a verdict, an error summary) inside the swapped region, and
// say it in the page's live region, which lives outside the swapped fragment.
document.addEventListener("htmx:afterSettle", function (event) {
  let region = event.detail.target;
  if (region && !region.isConnected && region.id) region = document.getElementById(region.id);
  if (!region || !region.isConnected) return;
  const target = region.querySelector("[data-focus-after-swap]");
  if (!target) return;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
  const live = document.querySelector("[data-live-region]");
  if (live) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = target.dataset.announce || target.textContent.trim().replace(/\s+/g, " "); }, 50);
  }
});
