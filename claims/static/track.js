/* The public tracking page: claim number + last four phone digits → stage and expected payment date. */
"use strict";

(() => {
  const form = document.getElementById("track-form");
  const problem = document.getElementById("problem");
  const status = document.getElementById("status");
  const query = new URLSearchParams(location.search);
  if (query.get("number")) form.number.value = query.get("number");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    Anju.showProblem(problem, null);
    status.hidden = true;
    const number = form.number.value.trim().toUpperCase();
    const last4 = form.phone_last4.value.trim();
    if (!number || !/^\d{4}$/.test(last4)) {
      Anju.showProblem(problem, new Error("请填写理赔编号和电话后四位（4 位数字）"));
      return;
    }
    const params = new URLSearchParams({ number, phone_last4: last4 });
    try {
      const body = await Anju.api("GET", `/public/claims/status?${params}`);
      document.getElementById("stage").textContent = body.stage_zh || body.stage;
      document.getElementById("expected").textContent = Anju.when(body.expected_payment_by, false);
      // A business day ("2026-12-03"), not a moment: shown as it is, in words, with no time zone shift.
      const [y, m, d] = (body.visit_on || "").split("-");
      document.getElementById("visit-on").textContent = body.visit_on ? `${y}年${Number(m)}月${Number(d)}日` : "";
      document.getElementById("visit-box").hidden = !body.visit_on;
      document.getElementById("paid").textContent = body.paid_fen == null ? "" : `${Anju.fenToYuan(body.paid_fen)} 元`;
      document.getElementById("paid-box").hidden = body.paid_fen == null;
      status.hidden = false;
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  });
})();
