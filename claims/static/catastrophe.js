/* A catastrophe's board: its claims counted by village and stage, from GET /catastrophes/{id}. */
"use strict";

(() => {
  const labels = JSON.parse(document.getElementById("labels").textContent);
  const problem = document.getElementById("problem");
  const table = document.getElementById("counts");
  // From the page's markup: the content security policy allows no inline script to set it.
  const catastropheId = document.getElementById("name").dataset.catastropheId;
  // Stages in lifecycle order; only those that occur get a column.
  const ORDER = Object.keys(labels.stages);

  function cell(tag, text) {
    return Object.assign(document.createElement(tag), { textContent: String(text) });
  }

  function draw(event) {
    document.getElementById("name").textContent = event.name;
    document.getElementById("summary").textContent =
      `${labels.perils[event.peril] || event.peril} · ${Anju.when(event.starts_at)} 至 ${Anju.when(event.ends_at)} · ` +
      `共 ${event.claims} 户案件`;
    const stages = ORDER.filter((s) => event.by_status[s]);
    const head = document.createElement("tr");
    head.append(cell("th", "村（社区）"), ...stages.map((s) => cell("th", labels.stages[s])), cell("th", "合计"));
    table.tHead.replaceChildren(head);
    table.tBodies[0].replaceChildren(
      ...event.villages.map((v) => {
        const row = document.createElement("tr");
        row.append(cell("td", v.village_code), ...stages.map((s) => cell("td", v.by_status[s] || 0)), cell("td", v.total));
        return row;
      })
    );
    const total = document.createElement("tr");
    total.append(cell("th", "合计"), ...stages.map((s) => cell("th", event.by_status[s])), cell("th", event.claims));
    table.tFoot.replaceChildren(total);
    table.hidden = false;
  }

  async function load() {
    try {
      draw(await Anju.api("GET", `/catastrophes/${catastropheId}`));
      Anju.showProblem(problem, null);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  load();
  setInterval(load, 60_000);
})();
