/* A claim's audit trail: GET /audit/claims/<id>/trail, every event with what changed, and whether its
   hash and links in the chain hold. The claim id comes from the page (data-claim-id). */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const summary = document.getElementById("summary");

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: String(text ?? "") });
  }

  function changed(event) {
    return event.changes
      .map((c) => `${c.field}：${JSON.stringify(c.before) ?? "—"} → ${JSON.stringify(c.after) ?? "—"}`)
      .join("\n");
  }

  async function load() {
    try {
      const trail = await Anju.api("GET", `/audit/claims/${summary.dataset.claimId}/trail`);
      summary.textContent = `案件 ${trail.claim_number}：共 ${trail.checked} 条审计记录`;
      const chain = document.getElementById("chain");
      chain.textContent = trail.chain_ok
        ? "审计链校验通过：每条记录的哈希与前后链接均一致。"
        : `审计链校验未通过：第 ${trail.first_broken_id} 号记录起有异常。`;
      chain.dataset.ok = String(trail.chain_ok);
      chain.hidden = false;
      const table = document.getElementById("events");
      table.querySelector("tbody").replaceChildren(
        ...trail.events.map((e) => {
          const row = document.createElement("tr");
          row.dataset.eventId = String(e.id);
          if (e.problem) row.className = "broken";
          const change = cell(changed(e));
          change.style.whiteSpace = "pre-line";
          row.append(
            cell(e.id), cell(Anju.when(e.occurred_at)), cell(e.actor), cell(e.action), cell(e.subject_type),
            change, cell(e.reason), cell(e.problem ? `异常：${e.problem}` : "一致")
          );
          return row;
        })
      );
      table.hidden = false;
      Anju.showProblem(problem, null);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  load();
})();
