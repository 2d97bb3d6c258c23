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

  // The visit plan: officers, auditors and admins may read it; for anyone else the section stays hidden.
  const needForm = document.getElementById("need-form");

  function drawPlan(plan) {
    document.getElementById("plan-summary").textContent =
      `已安排 ${plan.visits} 户，待安排 ${plan.unplanned} 户；计划 ${plan.planned_days} 天查勘完` +
      (plan.last_day ? `（最后一天 ${plan.last_day}）` : "") +
      `，理论最少 ${plan.lower_bound_days} 天（${plan.adjusters} 名查勘员）。`;
    document.getElementById("plan-needed").textContent =
      plan.adjusters_needed == null ? "" : `${plan.within_days} 天内查勘完需 ${plan.adjusters_needed} 名查勘员`;
    const days = [...new Set(plan.per_adjuster.flatMap((a) => Object.keys(a.visits_by_day)))].sort();
    const head = document.createElement("tr");
    head.append(cell("th", "查勘员"), ...days.map((d) => cell("th", d.slice(5))));
    const table = document.getElementById("plan-days");
    table.tHead.replaceChildren(head);
    table.tBodies[0].replaceChildren(
      ...plan.per_adjuster.map((a) => {
        const row = document.createElement("tr");
        row.append(cell("td", a.name), ...days.map((d) => cell("td", a.visits_by_day[d] || 0)));
        return row;
      })
    );
    document.getElementById("plan").hidden = false;
  }

  async function loadPlan() {
    const params = new URLSearchParams({ within_days: needForm.within_days.value, capacity: needForm.capacity.value });
    try {
      drawPlan(await Anju.api("GET", `/catastrophes/${catastropheId}/visit-plan?${params}`));
    } catch (err) {
      if (err.status !== 403) Anju.showProblem(problem, err);
    }
  }

  needForm.addEventListener("submit", (event) => { event.preventDefault(); loadPlan(); });
  load();
  loadPlan();
  setInterval(() => { load(); loadPlan(); }, 60_000);
})();
