/* The governance dashboard: GET /reports/dashboard for the figures and the drill-down,
   /reports/dashboard/charts for the charts (SVG drawn on the server, shown as images),
   /reports/dashboard/claims for a village's claims. The address carries the filter:
   /reports/dashboard/page?region=<code>&from=<date>&to=<date>. */
"use strict";

(() => {
  const PERILS = {
    fire: "火灾", explosion: "爆炸", theft: "盗窃", robbery: "抢劫", natural_disaster: "自然灾害",
    accidental_death: "意外身故", disability: "意外伤残", livestock: "畜禽死亡",
  };
  const STAGES = {
    awaiting_confirmation: "待确认", reported: "已报案", reopened: "重新受理", accepted: "已受理",
    rejected: "不予受理", visit_scheduled: "已安排查勘", assessed: "已定损", approved: "已核准",
    paid: "已赔付", closed: "已结案", withdrawn: "已撤案", cleared: "无损失",
  };
  const problem = document.getElementById("problem");
  const address = new URLSearchParams(location.search);

  function cell(tag, text) {
    return Object.assign(document.createElement(tag), { textContent: String(text) });
  }

  function link(text, href) {
    return Object.assign(document.createElement("a"), { textContent: text, href });
  }

  function pageFor(region) {
    const query = new URLSearchParams({ region, from: address.get("from") || "", to: address.get("to") || "" });
    return `/reports/dashboard/page?${query}`;
  }

  function put(id, text) {
    document.getElementById(id).textContent = text;
  }

  function drawFigures(board) {
    document.getElementById("where").textContent = `${board.region_name}（${board.region_code}） · ${board.date_from} 至 ${board.date_to}`;
    const crumbs = document.getElementById("crumbs");
    crumbs.replaceChildren();
    if (board.parent_code) crumbs.append(link("返回上一级", pageFor(board.parent_code)));
    document.getElementById("from").value = board.date_from;
    document.getElementById("to").value = board.date_to;
    const i = board.insured;
    put("blanket", `${i.blanket_households} / ${i.blanket_people}`);
    put("voluntary", `${i.voluntary_households} / ${i.voluntary_people}`);
    put("premiums", Anju.fenToYuan(board.premiums_fen));
    put("claims-reported", board.claims_reported);
    put("paid", Anju.fenToYuan(board.paid_fen));
    put("loss-ratio", board.loss_ratio_text);
    put("clock", `${board.clock.paid_claims} / ${board.clock.mean_hours} / ${board.clock.p90_hours}`);
    put("within", board.clock.within_target_text);
    const r = board.rebates;
    put("rebates", `${Anju.fenToYuan(r.accrued_fen)} / ${Anju.fenToYuan(r.disbursed_fen)} / ${Anju.fenToYuan(r.spent_fen)}`);
    document.querySelector("#by-peril tbody").replaceChildren(
      ...board.claims.map((c) => {
        const row = document.createElement("tr");
        row.append(cell("td", PERILS[c.peril] || c.peril), cell("td", STAGES[c.status] || c.status), cell("td", c.claims));
        return row;
      })
    );
    document.getElementById("figures").hidden = false;

    const parts = document.getElementById("parts");
    parts.querySelector("tbody").replaceChildren(
      ...board.parts.map((p) => {
        const row = document.createElement("tr");
        const name = cell("td", "");
        name.append(link(p.name, pageFor(p.code)));
        row.append(name, cell("td", p.claims_reported), cell("td", Anju.fenToYuan(p.paid_fen)),
          cell("td", Anju.fenToYuan(p.premiums_fen)), cell("td", p.loss_ratio_text));
        return row;
      })
    );
    parts.hidden = board.parts.length === 0;

    const exports = document.getElementById("exports");
    exports.querySelector("ul").replaceChildren(
      ...board.exports.map((e) => {
        const item = document.createElement("li");
        item.append(link(e.name, e.href));
        return item;
      })
    );
    exports.hidden = false;
  }

  function drawClaims(claims) {
    const section = document.getElementById("claims");
    section.querySelector("tbody").replaceChildren(
      ...claims.map((c) => {
        const row = document.createElement("tr");
        const number = cell("td", "");
        number.append(link(c.number, c.trail_href));
        row.append(number, cell("td", PERILS[c.peril] || c.peril), cell("td", STAGES[c.status] || c.status),
          cell("td", Anju.fenToYuan(c.paid_fen)), cell("td", c.breached ? `${c.cycle_hours}（超时）` : c.cycle_hours));
        return row;
      })
    );
    section.hidden = false;
  }

  function drawCharts(answer) {
    document.getElementById("charts").replaceChildren(
      ...answer.charts.map((chart) => {
        const figure = document.createElement("figure");
        // As an image the SVG is sandboxed: no script runs, and the page's style policy stays strict.
        const image = Object.assign(document.createElement("img"), {
          alt: chart.title,
          src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.svg)}`,
        });
        image.className = "chart";
        image.dataset.chart = chart.key;
        figure.append(image);
        return figure;
      })
    );
  }

  async function regionOrMine() {
    if (address.get("region")) return address.get("region");
    const me = await Anju.api("GET", "/auth/me");
    return (me.regions && me.regions[0]) || "";
  }

  document.getElementById("period").addEventListener("submit", (event) => {
    event.preventDefault();
    address.set("from", document.getElementById("from").value);
    address.set("to", document.getElementById("to").value);
    location.assign(`/reports/dashboard/page?${address}`);
  });

  (async () => {
    try {
      const region = await regionOrMine();
      const query = new URLSearchParams({ region_code: region });
      if (address.get("from")) query.set("from", address.get("from"));
      if (address.get("to")) query.set("to", address.get("to"));
      const board = await Anju.api("GET", `/reports/dashboard?${query}`);
      drawFigures(board);
      if (board.level === "village") {
        const claimsQuery = new URLSearchParams({ village_code: region, from: board.date_from, to: board.date_to });
        drawClaims(await Anju.api("GET", `/reports/dashboard/claims?${claimsQuery}`));
      }
      drawCharts(await Anju.api("GET", `/reports/dashboard/charts?${query}`));
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  })();
})();
