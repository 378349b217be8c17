// Sort and filter the apps table. Optional: without script the table is complete and in
// its default order (most serious first). Reads and writes text only, never HTML.
(function () {
  var table = document.querySelector("table.apps");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, i) { row.dataset.order = String(i); });
  var box = document.createElement("input");
  box.type = "search";
  box.className = "js-only apps-filter";
  box.placeholder = "Filter apps";
  box.setAttribute("aria-label", "Filter apps by name, source, access or finding");
  box.addEventListener("input", function () {
    var query = box.value.trim().toLowerCase();
    rows.forEach(function (row) {
      row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) < 0;
    });
  });
  table.caption.appendChild(box);
  var keys = [
    function (row) { return row.cells[0].textContent.trim().toLowerCase(); },
    function (row) { return row.cells[1].textContent.trim().toLowerCase(); },
    function (row) { return -Number(row.dataset.abilities || 0); },
    function (row) { return Number(row.dataset.order); }
  ];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var key = keys[column];
      rows.slice().sort(function (a, b) {
        var x = key(a), y = key(b);
        return x < y ? -1 : x > y ? 1 : Number(a.dataset.order) - Number(b.dataset.order);
      }).forEach(function (row) { body.appendChild(row); });
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
        cell.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", column === 3 ? "other" : "ascending");
    });
  });
})();
