/* The officer's work queue: open claims from GET /work-queue, least time left first; accept, reject
   (with a reason) and approve call POST /claims/{id}/accept | reject | approve and reload the list. */
"use strict";

(() => {
  const PAGE = 50;
  const problem = document.getElementById("problem");
  const table = document.getElementById("queue");
  const filter = document.getElementById("clock-filter");
  const more = document.getElementById("more");
  const dialog = document.getElementById("reject-dialog");
  const STAGES = {
    confirmation: "村联络员确认", acceptance: "受理", visit_planning: "安排查勘", visit: "现场查勘",
    assessment: "定损", approval: "核赔", payment_batch: "付款批次", bank: "银行付款",
  };
  const WHO = { liaison: "村联络员", officer: "理赔员", adjuster: "查勘员", finance: "财务", bank: "银行" };
  const PERILS = {
    fire: "火灾", explosion: "爆炸", theft: "盗窃", robbery: "抢劫", natural_disaster: "自然灾害",
    accidental_death: "意外身故", disability: "意外伤残", livestock: "畜禽死亡",
  };
  const CLOCK = { on_track: "", at_risk: "即将超时", breached: "已超时", stopped: "" };
  let offset = 0;
  let rejecting = null;

  function cell(text) {
    return Object.assign(document.createElement("td"), { textContent: String(text) });
  }

  function timeLeft(seconds) {
    const hours = Math.floor(Math.abs(seconds) / 3600);
    const minutes = Math.floor((Math.abs(seconds) % 3600) / 60);
    const span = `${hours} 小时 ${minutes} 分`;
    return seconds < 0 ? `已超 ${span}` : span;
  }

  function button(label, action, claim) {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: label });
    b.dataset.action = action;
    b.addEventListener("click", () => act(action, claim));
    return b;
  }

  async function act(action, claim) {
    if (action === "reject") {
      rejecting = claim;
      document.getElementById("reject-reason").value = "";
      dialog.showModal();
      return;
    }
    // Approving takes a body (an optional note for the audit log); accepting takes none.
    await send(action, claim, action === "approve" ? {} : undefined);
  }

  async function send(action, claim, json) {
    try {
      await Anju.api("POST", `/claims/${claim.id}/${action}`, { json });
      Anju.showProblem(problem, null);
      offset = 0;
      await load(false);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  function row(claim) {
    const tr = document.createElement("tr");
    tr.dataset.claim = claim.number;
    const left = cell(`${timeLeft(claim.time_left_seconds)} ${CLOCK[claim.clock]}`);
    left.className = `clock-${claim.clock}`;
    const who = WHO[claim.waiting_on] || "";
    const actions = document.createElement("td");
    if (claim.status === "reported" || claim.status === "reopened") {
      actions.append(button("受理", "accept", claim), " ", button("不予受理", "reject", claim));
    } else if (claim.status === "assessed") {
      actions.append(button("核准赔付", "approve", claim));
    }
    tr.append(
      cell(claim.number),
      cell(PERILS[claim.peril] || claim.peril),
      cell(claim.claimant_name),
      left,
      cell(STAGES[claim.waiting_in] || ""),
      cell(claim.adjuster_name ? `${who}（${claim.adjuster_name}）` : who),
      actions
    );
    return tr;
  }

  async function load(append) {
    try {
      const query = new URLSearchParams({ limit: PAGE, offset });
      if (filter.value) query.set("clock", filter.value);
      const page = await Anju.api("GET", `/work-queue?${query}`);
      const rows = page.items.map(row);
      if (append) table.tBodies[0].append(...rows);
      else table.tBodies[0].replaceChildren(...rows);
      table.hidden = page.total === 0;
      document.getElementById("empty").hidden = page.total !== 0;
      document.getElementById("summary").textContent = `共 ${page.total} 件待办，按剩余时限排列。`;
      more.hidden = offset + PAGE >= page.total;
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  filter.addEventListener("change", () => { offset = 0; load(false); });
  more.addEventListener("click", () => { offset += PAGE; load(true); });
  document.getElementById("reject-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("reject-form").addEventListener("submit", (event) => {
    const reason = document.getElementById("reject-reason").value.trim();
    if (!reason || !rejecting) { event.preventDefault(); return; }
    const claim = rejecting;
    rejecting = null;
    send("reject", claim, { reason });
  });
  load(false);
})();
