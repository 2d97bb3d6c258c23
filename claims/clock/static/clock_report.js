/* The clock report page: asks GET /clock/report for a region, whole months and a grouping, and shows
   the groups, the time per stage and the latest breached claims. */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const STAGES = {
    confirmation: "村联络员确认", acceptance: "受理", visit_planning: "安排查勘", visit: "现场查勘",
    assessment: "定损", approval: "核赔", payment_batch: "付款批次", bank: "银行付款",
  };

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: text === null ? "—" : String(text) });
  }

  function share(value) {
    return value === null ? null : `${(value * 100).toFixed(1)}%`;
  }

  function figuresRow(f) {
    const tr = document.createElement("tr");
    tr.append(
      cell(f.label), cell(f.reported), cell(f.accepted), cell(f.paid), cell(f.average_cycle_hours),
      cell(f.median_cycle_hours), cell(f.p90_cycle_hours), cell(share(f.share_paid_within_target))
    );
    return tr;
  }

  function fill(id, rows) {
    const table = document.getElementById(id);
    table.tBodies[0].replaceChildren(...rows);
    table.hidden = rows.length === 0;
  }

  function draw(report) {
    document.getElementById("summary").textContent =
      `${report.period_from} 至 ${report.period_to}：报案 ${report.total.reported} 件，` +
      `赔付 ${report.total.paid} 件，时限内赔付 ${share(report.total.share_paid_within_target) || "—"}`;
    fill("groups", [...report.groups.map(figuresRow), figuresRow(report.total)]);
    fill("stages", report.total.stages.map((s) => {
      const tr = document.createElement("tr");
      tr.append(cell(STAGES[s.stage]), cell(s.average_hours));
      return tr;
    }));
    fill("breached", report.breached.map((c) => {
      const tr = document.createElement("tr");
      tr.append(cell(c.number), cell(c.village_code), cell(Anju.when(c.reported_at)), cell(STAGES[c.stage]));
      return tr;
    }));
  }

  async function ask(event) {
    if (event) event.preventDefault();
    const query = new URLSearchParams({
      from: `${document.getElementById("from").value}-01`,
      to: `${document.getElementById("to").value}-01`,
      by: document.getElementById("by").value,
    });
    const region = document.getElementById("region").value.trim();
    if (region) query.set("region", region);
    try {
      draw(await Anju.api("GET", `/clock/report?${query}`));
      Anju.showProblem(problem, null);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  const month = Anju.nowLocalInput().slice(0, 7);
  document.getElementById("from").value = month;
  document.getElementById("to").value = month;
  document.getElementById("ask").addEventListener("submit", ask);
  ask(null);
})();
