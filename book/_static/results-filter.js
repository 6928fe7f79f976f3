// Filters for the "All results" table (book/results.md): a text box and one menu each for
// chapter, metric and split. The table is complete without this script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.results-table[data-filterable]").forEach((table) => {
    const rows = [...table.tBodies[0].rows];
    const bar = document.createElement("div");
    bar.className = "results-filter";
    const text = document.createElement("input");
    text.type = "search";
    text.placeholder = "filter (any text)";
    text.setAttribute("aria-label", "filter the results table");
    bar.appendChild(text);
    const menus = [[0, "chapter"], [4, "metric"], [2, "split"]].map(([col, label]) => {
      const select = document.createElement("select");
      select.setAttribute("aria-label", label);
      const values = [...new Set(rows.map((r) => r.cells[col].innerText.trim()))].sort();
      select.add(new Option(`all ${label}s`, ""));
      values.forEach((v) => select.add(new Option(v, v)));
      bar.appendChild(select);
      return [col, select];
    });
    const count = document.createElement("span");
    bar.appendChild(count);
    const apply = () => {
      const needle = text.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach((r) => {
        const ok = (!needle || r.innerText.toLowerCase().includes(needle)) &&
          menus.every(([col, s]) => !s.value || r.cells[col].innerText.trim() === s.value);
        r.style.display = ok ? "" : "none";
        shown += ok ? 1 : 0;
      });
      count.textContent = `${shown} of ${rows.length} rows`;
    };
    text.addEventListener("input", apply);
    menus.forEach(([, s]) => s.addEventListener("change", apply));
    table.parentElement.insertBefore(bar, table);
    apply();
  });
});
