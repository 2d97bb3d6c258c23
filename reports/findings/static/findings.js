/* The findings page: GET /reports/findings and GET /reports/sample for the region and period in the
   form, and links to the exports for the same filters. The filters also come from the address
   (/reports/findings/page?region_code=…&from=…&to=…), so a finding list can be shared. */
"use strict";

(() => {
  const problem = document.getElementById("problem");
  const filters = document.getElementById("filters");
  const params = new URLSearchParams(location.search);

  const LABELS = {
    claim_number: "案件号", account: "收款账户", amount_fen: "金额（元）", paid_fen: "已赔付（元）",
    limit_fen: "可赔上限（元）", over_fen: "超出（元）", resident_id: "身份证号", households: "涉及住户数",
    other_households: "其他住户数", other_claims: "其他案件", claims: "相关案件", loss_on: "出险日期",
    cover_periods: "保险期间", site_visit_done: "已查勘", assessed: "已定损", first_broken_id: "首个异常事件",
    problem: "问题", events_checked: "已核对事件数", premiums_fen: "已收保费（元）", expected_fen: "应计提（元）",
    accrued_fen: "台账计提（元）", difference_fen: "差额（元）", disbursed_fen: "已拨付（元）",
    spent_fen: "已支出（元）", cycle_hours: "赔付周期（小时）", direction: "方向",
    district_median_hours: "本区中位数（小时）", usual_low_hours: "常态下限（小时）",
    usual_high_hours: "常态上限（小时）", district_sample: "本区样本数",
    claims_elsewhere: "辖区外案件数", districts_elsewhere: "辖区外所在区县",
  };

  function today() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  }

  function shown(key, value) {
    if (key.endsWith("_fen") && typeof value === "number") return Anju.fenToYuan(value);
    if (typeof value === "boolean") return value ? "是" : "否";
    if (value === null || value === undefined) return "—";
    if (typeof value === "object") {
      return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "object" ? Object.values(v).join(" ") : v)).join("；");
    }
    return String(value);
  }

  function card(finding) {
    const box = Object.assign(document.createElement("div"), { className: "card finding" });
    box.dataset.kind = finding.kind;
    const title = Object.assign(document.createElement("h3"), { textContent: finding.title_zh });
    const list = document.createElement("dl");
    for (const [key, value] of Object.entries(finding.evidence)) {
      list.append(
        Object.assign(document.createElement("dt"), { textContent: LABELS[key] || key }),
        Object.assign(document.createElement("dd"), { textContent: shown(key, value) })
      );
    }
    const link = Object.assign(document.createElement("a"), { href: finding.link, textContent: "查看详情" });
    box.append(title, list, link);
    return box;
  }

  function query(extra = {}) {
    const data = new FormData(filters);
    const q = new URLSearchParams({ region_code: data.get("region_code"), from: data.get("from"), to: data.get("to") });
    for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
    return q;
  }

  function refreshExports() {
    for (const a of document.querySelectorAll("[data-export]")) {
      a.href = `/reports/exports/${a.dataset.export}?${query()}`;
    }
  }

  async function find(event) {
    if (event) event.preventDefault();
    refreshExports();
    try {
      const report = await Anju.api("GET", `/reports/findings?${query({ kind: filters.kind.value })}`);
      document.getElementById("results-title").textContent = `共 ${report.count} 条发现`;
      document.getElementById("cycle-rule").textContent = `赔付周期异常的判定：${report.cycle_rule}`;
      document.getElementById("findings").replaceChildren(...report.findings.map(card));
      document.getElementById("results").hidden = false;
      Anju.showProblem(problem, null);
    } catch (err) {
      if (err.status === 401) return Anju.toLogin();
      Anju.showProblem(problem, err);
    }
  }

  async function sample(event) {
    event.preventDefault();
    const form = event.target;
    try {
      const drawn = await Anju.api("GET", `/reports/sample?${query({ size: form.size.value, seed: form.seed.value })}`);
      form.seed.value = drawn.seed;
      const seedBox = document.getElementById("sample-seed");
      seedBox.textContent = `随机种子 ${drawn.seed}：从 ${drawn.population} 件已赔案件中抽取 ${drawn.size} 件。`;
      seedBox.hidden = false;
      const table = document.getElementById("sample");
      table.querySelector("tbody").replaceChildren(
        ...drawn.claims.map((c) => {
          const row = document.createElement("tr");
          const number = document.createElement("td");
          number.append(Object.assign(document.createElement("a"), { href: c.link, textContent: c.claim_number }));
          row.append(
            Object.assign(document.createElement("td"), { textContent: String(c.draw) }),
            number,
            Object.assign(document.createElement("td"), { textContent: c.village_code }),
            Object.assign(document.createElement("td"), { textContent: Anju.fenToYuan(c.paid_fen) }),
            Object.assign(document.createElement("td"), { textContent: Anju.when(c.paid_at) })
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

  async function start() {
    const end = params.get("to") || today();
    filters.to.value = end;
    filters.from.value = params.get("from") || `${end.slice(0, 8)}01`;
    filters.kind.value = params.get("kind") || "";
    let region = params.get("region_code");
    if (!region) {
      try {
        const me = await Anju.api("GET", "/auth/me");
        region = me.regions[0] || "";
      } catch (err) {
        if (err.status === 401) return Anju.toLogin();
      }
    }
    filters.region_code.value = region || "";
    refreshExports();
    if (filters.region_code.value) await find();
  }

  filters.addEventListener("submit", find);
  filters.addEventListener("change", refreshExports);
  document.getElementById("sample-form").addEventListener("submit", sample);
  start();
})();
