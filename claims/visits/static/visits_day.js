/* The adjuster's day on the phone: the visits of one day in route order, from GET /visits/mine. */
"use strict";

(() => {
  const form = document.getElementById("day-form");
  const list = document.getElementById("visits");
  const problem = document.getElementById("problem");
  const summary = document.getElementById("summary");
  const pdfLink = document.getElementById("pdf-link");
  const PERILS = { fire: "火灾", explosion: "爆炸", theft: "盗窃", robbery: "抢劫", natural_disaster: "自然灾害" };

  function todayInBeijing() {
    return Anju.nowLocalInput().slice(0, 10);
  }

  function line(text, className) {
    return Object.assign(document.createElement("p"), { textContent: text, className: className || "" });
  }

  function link(text, href, className) {
    return Object.assign(document.createElement("a"), { textContent: text, href, className: className || "button" });
  }

  function card(v) {
    const item = document.createElement("section");
    item.className = "card visit";
    item.dataset.visitId = v.id;
    item.append(
      line(`${v.route_order}. ${v.village_name} ${v.address}`, "where"),
      line(`户主：${v.head_name}`),
      line(`出险：${PERILS[v.peril] || v.peril} · 报损：${v.estimated_loss_fen == null ? "未报" : Anju.fenToYuan(v.estimated_loss_fen) + " 元"}`),
      line(`理赔编号：${v.claim_number}${v.at_risk ? " · 时限紧" : ""}`)
    );
    const call = link(`拨打 ${v.phone}`, `tel:${v.phone}`, "button phone");
    item.append(call);
    if (v.geo_link) item.append(link("导航（手机地图）", v.geo_link, "button geo"), link("网页地图", v.map_link, "button map"));
    item.append(link("上门定损", v.assess_link, "button assess"));
    return item;
  }

  async function load() {
    const on = form.on.value || todayInBeijing();
    pdfLink.href = `/adjuster/day.pdf?on=${on}`;
    Anju.showProblem(problem, null);
    try {
      const visits = await Anju.api("GET", `/visits/mine?on=${encodeURIComponent(on)}`);
      list.replaceChildren(...visits.map(card));
      summary.textContent = visits.length ? `共 ${visits.length} 户，按顺序上门。` : "当天没有查勘安排。";
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  const query = new URLSearchParams(location.search);
  form.on.value = query.get("on") || todayInBeijing();
  form.on.addEventListener("change", load);
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
