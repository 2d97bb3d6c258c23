/* The one-page claim: a resident files for their household, a liaison for a household of their villages.
   Sends the claims API's POST /claims body as is, with an Idempotency-Key made when the page loads. */
"use strict";

(() => {
  const form = document.getElementById("claim-form");
  const problem = document.getElementById("problem");
  const who = document.getElementById("who");
  const submit = document.getElementById("submit");
  const claimant = document.getElementById("claimant");
  // One key per page load: a double tap or a retry after a timeout replays instead of filing twice.
  const idempotencyKey = Anju.newKey();
  const FIELDS = {
    household_id: "住户", claimant_resident_id: "报案人身份证号", claimant_phone: "联系电话",
    peril: "出险原因", loss_at: "出险时间", loss_place: "出险地点", description: "经过",
    estimated_loss_fen: "估计损失", payee_name: "收款人姓名", payee_bank_name: "开户银行",
    payee_account: "银行卡号", police_report_no: "报警回执号", fire_certificate_no: "火灾证明编号",
  };
  let household = null;

  const value = (name) => form.elements[name].value.trim();
  const items = (body) => (Array.isArray(body) ? body : (body && body.items) || []);

  function useHousehold(found) {
    household = found;
    form.household_id.value = found.id;
    const card = document.getElementById("household-card");
    card.textContent = `户主 ${found.head_name} · ${found.address}`;
    card.hidden = false;
    claimant.replaceChildren();
    for (const person of found.people || []) {
      claimant.add(new Option(`${person.name}（${person.relation === "head" ? "户主" : "家庭成员"}）`, person.id));
    }
    claimant.add(new Option("其他人（自己填写身份证号）", ""));
    if (!form.loss_place.value) form.loss_place.value = found.address;
    pickClaimant();
  }

  function pickClaimant() {
    const person = ((household && household.people) || []).find((p) => p.id === claimant.value);
    // A masked number ("3702**********1234") cannot be sent back; the person types it then.
    const usable = person && !String(person.resident_id).includes("*");
    form.claimant_resident_id.value = usable ? person.resident_id : "";
    form.claimant_phone.value = (person && person.phone) || (household && household.phone) || "";
    form.payee_name.value = person ? person.name : "";
  }

  async function lookUp() {
    const text = document.getElementById("lookup").value.trim().toUpperCase();
    const choices = document.getElementById("household-choices");
    choices.replaceChildren();
    Anju.showProblem(problem, null);
    const param = /^\d{17}[\dX]$/.test(text) ? "resident_id" : "phone";
    try {
      const found = items(await Anju.api("GET", `/households?${new URLSearchParams({ [param]: text })}`));
      if (!found.length) {
        choices.textContent = "在您负责的村里没有找到这一户，请核对号码。";
        return;
      }
      for (const each of found) {
        const label = document.createElement("label");
        const radio = Object.assign(document.createElement("input"), { type: "radio", name: "household_pick" });
        radio.addEventListener("change", () => pick(each.id));
        label.append(radio, `户主 ${each.head_name} · ${each.address}`);
        choices.append(label);
      }
      if (found.length === 1) choices.querySelector("input").click();
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  }

  // A listing masks ID numbers and phones; the one household read on its own carries them in full.
  async function pick(householdId) {
    try {
      useHousehold(await Anju.api("GET", `/households/${householdId}`));
    } catch (err) {
      Anju.showProblem(problem, err);
    }
  }

  function showEvidence() {
    const peril = form.elements.peril.value;
    document.getElementById("police-part").hidden = !["theft", "robbery"].includes(peril);
    document.getElementById("fire-part").hidden = peril !== "fire";
  }

  function body() {
    const fen = Anju.yuanToFen(value("estimated_yuan"));
    if (fen === undefined) throw new Anju.Problem(422, { message_zh: "估计损失请填数字，最多两位小数，例如 12460.50" });
    if (!form.household_id.value) throw new Anju.Problem(422, { message_zh: "请先选定是哪一户" });
    if (!form.elements.peril.value) throw new Anju.Problem(422, { message_zh: "请选出险原因" });
    const peril = form.elements.peril.value;
    const optional = (name, wanted) => (wanted && value(name)) || null;
    return {
      household_id: form.household_id.value,
      claimant_resident_id: value("claimant_resident_id").toUpperCase(),
      claimant_phone: value("claimant_phone").replace(/[\s-]/g, ""),
      peril,
      // The form asks for Beijing time whatever zone the phone is set to.
      loss_at: value("loss_at") ? `${value("loss_at")}:00+08:00` : "",
      loss_place: value("loss_place"),
      description: value("description"),
      estimated_loss_fen: fen,
      payee_name: value("payee_name"),
      payee_bank_name: value("payee_bank_name"),
      payee_account: value("payee_account").replace(/\s/g, ""),
      police_report_no: optional("police_report_no", ["theft", "robbery"].includes(peril)),
      fire_certificate_no: optional("fire_certificate_no", peril === "fire"),
    };
  }

  async function upload(claimId) {
    const files = Array.from(document.getElementById("photos").files || []);
    const status = document.getElementById("upload-status");
    let failed = 0;
    for (const file of files) {
      const data = new FormData();
      data.append("kind", file.type === "application/pdf" ? "other" : "photo");
      data.append("file", file, file.name);
      try {
        await Anju.api("POST", `/claims/${claimId}/documents`, { form: data });
      } catch (err) {
        failed += 1;
        status.textContent = `有 ${failed} 个文件没有传上（${err.message}），报案本身已成功，可请联络员补传。`;
      }
    }
    if (files.length && !failed) status.textContent = `已上传 ${files.length} 个文件。`;
  }

  async function send(event) {
    event.preventDefault();
    if (submit.disabled) return;
    Anju.showProblem(problem, null);
    submit.disabled = true;
    submit.textContent = "正在提交…";
    try {
      const claim = await Anju.api("POST", "/claims", {
        json: body(),
        headers: { "Idempotency-Key": idempotencyKey },
      });
      document.getElementById("claim-number").textContent = claim.number;
      document.getElementById("claim-expected").textContent = Anju.when(claim.expected_payment_by, false);
      document.getElementById("summary-link").href = `/claims/${claim.id}/summary.pdf`;
      document.getElementById("track-link").href = `/track?${new URLSearchParams({ number: claim.number })}`;
      who.textContent = "您的报案已收到，请记下理赔编号。";
      form.hidden = true;
      document.getElementById("done").hidden = false;
      window.scrollTo(0, 0);
      await upload(claim.id);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err, FIELDS);
      submit.disabled = false;
      submit.textContent = "提交报案";
    }
  }

  async function start() {
    let me;
    try {
      me = await Anju.api("GET", "/auth/me");
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      who.textContent = err.message;
      return;
    }
    form.loss_at.value = Anju.nowLocalInput();
    form.loss_at.max = Anju.nowLocalInput();
    form.hidden = false;
    if (me.role === "resident" && me.household_id) {
      who.textContent = `${me.display_name}，您好。请为您家填写下面的内容。`;
      try {
        useHousehold(await Anju.api("GET", `/households/${me.household_id}`));
      } catch (err) {
        // Without the household details the resident can still file: only the id is required.
        household = { id: me.household_id, people: [] };
        form.household_id.value = me.household_id;
        claimant.replaceChildren(new Option("本人（请填写身份证号）", ""));
      }
    } else {
      who.textContent = `${me.display_name}（联络员），请先查找要报案的住户。`;
      document.getElementById("household-search").hidden = false;
      claimant.replaceChildren(new Option("请先查找住户", ""));
    }
  }

  claimant.addEventListener("change", pickClaimant);
  document.getElementById("lookup-button").addEventListener("click", lookUp);
  document.getElementById("lookup").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); lookUp(); }
  });
  form.addEventListener("change", (e) => { if (e.target.name === "peril") showEvidence(); });
  form.addEventListener("submit", send);
  start();
})();
