// The roster picker: suggestions from the roster for a field that names people.
// Progressive: without JavaScript the field takes typed names, which the server
// matches to the roster (people.matching). With it, a native <datalist> offers
// "Name, Title (employee id)" as you type; a chosen entry names one person exactly.
(function () {
  "use strict";
  let counter = 0;

  function suggest(input, list, url) {
    let timer = null;
    let last = "";
    input.addEventListener("input", function () {
      const query = input.value.trim();
      if (query.length < 2 || query === last || /\([A-Za-z0-9_-]+\)\s*$/.test(query)) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = query;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (result) {
              const option = document.createElement("option");
              option.value = result.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* typed names still work */ });
      }, 200);
    });
  }

  function datalist() {
    const list = document.createElement("datalist");
    list.id = "roster-options-" + (++counter);
    document.body.appendChild(list);
    return list;
  }

  function enhanceInput(input) {
    const list = datalist();
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    suggest(input, list, input.dataset.rosterPicker);
  }

  function enhanceTextarea(area) {
    const list = datalist();
    const label = document.querySelector('label[for="' + area.id + '"]');
    const group = document.createElement("div");
    group.className = "input-group input-group-sm mb-1 roster-picker";
    const input = document.createElement("input");
    input.type = "search";
    input.className = "form-control";
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.placeholder = "Find someone on the roster";
    input.setAttribute("aria-label", "Find someone on the roster to add to: " + (label ? label.textContent.trim() : "this list"));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = "Add";
    const status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    group.append(input, button);
    area.parentNode.insertBefore(group, area);
    area.parentNode.insertBefore(status, area);

    function add() {
      const value = input.value.trim();
      if (!value) return;
      area.value = (area.value.trim() ? area.value.trim() + "\n" : "") + value;
      input.value = "";
      status.textContent = value + " added.";
      input.focus();
    }
    button.addEventListener("click", add);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        add();
      }
    });
    suggest(input, list, area.dataset.rosterPicker);
  }

  function enhance(root) {
    root.querySelectorAll("[data-roster-picker]:not([data-roster-ready])").forEach(function (field) {
      field.setAttribute("data-roster-ready", "1");
      if (field.tagName === "TEXTAREA") enhanceTextarea(field);
      else enhanceInput(field);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
