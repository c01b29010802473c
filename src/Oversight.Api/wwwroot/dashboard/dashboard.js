// Analyst dashboard: reads the statistics and risk APIs with the analyst's bearer token and draws them with Chart.js.
// The page itself holds no data. The token comes from the URL fragment (#token=<jwt>, never sent to the server, removed
// from the address bar at once) or the token box, and is kept in sessionStorage (this tab only).
// For tests and other tools, each chart's container carries data-figures (JSON: the exact labels and values drawn), and
// <body data-ready> is "true" once every chart and the risk table are drawn, or "error" with data-error-status when a call failed.
(() => {
  'use strict';

  const STORAGE_KEY = 'oversight.dashboard.token';

  const QUERIES = Object.freeze({
    revocationsByYear: '/api/v1/statistics/revocations?groupBy=fiscalYear,organizationType',
    revocationsByPrefecture: '/api/v1/statistics/revocations?groupBy=prefecture',
    mocByCountry: '/api/v1/statistics/moc-reports?groupBy=country',
    riskFlags: '/api/v1/risk-flags?limit=20',
  });

  // JIS X 0401 codes "01" … "47", in order (as Oversight.Domain.Common.Prefectures).
  const PREFECTURES = [
    'Hokkaido', 'Aomori', 'Iwate', 'Miyagi', 'Akita', 'Yamagata', 'Fukushima', 'Ibaraki', 'Tochigi', 'Gunma',
    'Saitama', 'Chiba', 'Tokyo', 'Kanagawa', 'Niigata', 'Toyama', 'Ishikawa', 'Fukui', 'Yamanashi', 'Nagano',
    'Gifu', 'Shizuoka', 'Aichi', 'Mie', 'Shiga', 'Kyoto', 'Osaka', 'Hyogo', 'Nara', 'Wakayama',
    'Tottori', 'Shimane', 'Okayama', 'Hiroshima', 'Yamaguchi', 'Tokushima', 'Kagawa', 'Ehime', 'Kochi', 'Fukuoka',
    'Saga', 'Nagasaki', 'Kumamoto', 'Oita', 'Miyazaki', 'Kagoshima', 'Okinawa',
  ];

  const ORGANIZATION_TYPES = Object.freeze({
    SupervisingOrganization: 'Supervising organizations',
    ImplementingOrganization: 'Implementing organizations',
  });

  const ORGANIZATION_TYPE = Object.freeze({
    SupervisingOrganization: 'Supervising organization',
    ImplementingOrganization: 'Implementing organization',
  });

  const COLOURS = ['#2f6fb0', '#d9822b', '#3a9a5b', '#8e5bb5', '#c23b3b', '#6b7b8c'];

  const countryNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

  class ApiError extends Error {
    constructor(status, url, detail) {
      super(`${url} answered ${status}${detail ? `: ${detail}` : ''}`);
      this.status = status;
      this.url = url;
      this.detail = detail;
    }
  }

  // ---- token -------------------------------------------------------------------------------------------------------

  function takeTokenFromFragment() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const token = params.get('token');
    if (token === null) return;
    if (token.trim()) sessionStorage.setItem(STORAGE_KEY, token.trim());
    // Out of the address bar and the history: the fragment never reached the server, and it should not linger.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  function currentToken() {
    return sessionStorage.getItem(STORAGE_KEY) || '';
  }

  // The token's claims, for display only: the API is what checks it.
  function describeToken(token) {
    if (!token) return 'No token: paste an analyst token above, or open /dashboard#token=<token>.';
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const claims = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
      const expires = typeof claims.exp === 'number' ? `, expires ${new Date(claims.exp * 1000).toISOString()}` : '';
      return `Token set for role "${claims.role ?? '?'}" (subject "${claims.sub ?? '?'}"${expires}).`;
    } catch {
      return 'A token is set, but it does not look like a JWT.';
    }
  }

  // ---- API ---------------------------------------------------------------------------------------------------------

  async function getJson(url, token) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(url, { headers, cache: 'no-store', credentials: 'omit' });
    } catch (error) {
      throw new ApiError(0, url, `the API could not be reached (${error.message})`);
    }
    if (!response.ok) {
      let detail = '';
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || '';
      } catch {
        // Not problem+json: the status says enough.
      }
      throw new ApiError(response.status, url, detail);
    }
    return response.json();
  }

  function explain(error) {
    switch (error.status) {
      case 401:
        return 'Not signed in (401): the dashboard needs an analyst token, and none was given or it is expired or invalid. '
          + 'Paste a token above or open /dashboard#token=<token>.';
      case 403:
        return 'Forbidden (403): this token\'s role may not see statistics or risk flags. '
          + 'Use a token for an analyst (or an auditor, officer or admin).';
      case 0:
        return `Could not load the figures: ${error.detail}.`;
      default:
        return `Could not load the figures: ${error.message}`;
    }
  }

  // ---- messages and state ------------------------------------------------------------------------------------------

  function showMessage(text) {
    const message = document.getElementById('message');
    message.textContent = text;
    message.hidden = false;
  }

  function clearMessage() {
    const message = document.getElementById('message');
    message.textContent = '';
    message.hidden = true;
  }

  function setState(ready, status) {
    document.body.dataset.ready = ready;
    if (status === undefined) delete document.body.dataset.errorStatus;
    else document.body.dataset.errorStatus = String(status);
  }

  // ---- charts ------------------------------------------------------------------------------------------------------

  function prefectureName(code) {
    const index = Number.parseInt(code, 10);
    return typeof code === 'string' && /^\d{2}$/.test(code) && index >= 1 && index <= 47 ? PREFECTURES[index - 1] : (code ?? 'Unknown');
  }

  function countryLabel(code) {
    if (!code) return 'Unknown';
    let name = code;
    try {
      name = countryNames?.of(code) ?? code;
    } catch {
      // Not a region code Intl knows: show the code.
    }
    return name === code ? code : `${name} (${code})`;
  }

  function unique(values) {
    return [...new Set(values)];
  }

  // Draws a bar chart into the container and records what was drawn, read back from the chart itself.
  function drawBar(containerId, source, keys, labels, datasets, options = {}) {
    const container = document.getElementById(containerId);
    const canvas = container.querySelector('canvas');
    window.Chart.getChart(canvas)?.destroy();
    const chart = new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: datasets.map((d, i) => ({
          label: d.label,
          data: d.data,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderRadius: 2,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: options.horizontal ? 'y' : 'x',
        plugins: { legend: { display: datasets.length > 1 || Boolean(options.legend), position: 'bottom' } },
        scales: {
          [options.horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    container.dataset.figures = JSON.stringify({
      source,
      keys,
      labels: [...chart.data.labels],
      datasets: chart.data.datasets.map((d, i) => ({ key: datasets[i].key, label: d.label, data: [...d.data] })),
    });
    return chart;
  }

  function drawRevocationsByYear(result) {
    const years = unique(result.rows.map((r) => r.fiscalYear)).sort((a, b) => a - b);
    const known = Object.keys(ORGANIZATION_TYPES);
    const types = unique(result.rows.map((r) => r.organizationType))
      .sort((a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || String(a).localeCompare(String(b)));
    const count = (year, type) => result.rows
      .filter((r) => r.fiscalYear === year && r.organizationType === type)
      .reduce((sum, r) => sum + r.count, 0);
    drawBar('chart-revocations-by-year', QUERIES.revocationsByYear, years, years.map((y) => `FY${y}`),
      types.map((t) => ({ key: t, label: ORGANIZATION_TYPES[t] ?? t, data: years.map((y) => count(y, t)) })), { legend: true });
  }

  function drawRevocationsByPrefecture(result) {
    // The API orders rows by JIS code: north to south.
    const rows = result.rows;
    drawBar('chart-revocations-by-prefecture', QUERIES.revocationsByPrefecture, rows.map((r) => r.prefecture),
      rows.map((r) => prefectureName(r.prefecture)), [{ key: 'count', label: 'Revocations', data: rows.map((r) => r.count) }]);
  }

  function drawMocByCountry(result) {
    const rows = result.rows;
    drawBar('chart-moc-by-country', QUERIES.mocByCountry, rows.map((r) => r.country),
      rows.map((r) => countryLabel(r.country)), [{ key: 'count', label: 'MOC reports', data: rows.map((r) => r.count) }]);
  }

  // ---- risk table --------------------------------------------------------------------------------------------------

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function drawRiskTable(page) {
    const body = document.querySelector('#risk-table tbody');
    body.replaceChildren();
    for (const item of page.items) {
      const row = document.createElement('tr');
      row.dataset.organizationId = item.organizationId;
      cell(row, item.active ? item.name : `${item.name} (inactive)`, 'name');
      cell(row, ORGANIZATION_TYPE[item.organizationType] ?? item.organizationType, 'type');
      cell(row, item.prefecture ? prefectureName(item.prefecture) : '—', 'prefecture');
      cell(row, Number(item.score).toLocaleString('en', { maximumFractionDigits: 1, useGrouping: false }), 'number score');
      const flags = cell(row, '', 'flags');
      for (const flag of item.flags) {
        const badge = document.createElement('span');
        badge.className = `flag ${String(flag.level).toLowerCase()}`;
        badge.dataset.flag = flag.flag;
        badge.dataset.level = flag.level;
        badge.textContent = `${flag.flag} (${flag.level})`;
        flags.appendChild(badge);
      }
      body.appendChild(row);
    }
    document.getElementById('risk-empty').hidden = page.items.length > 0;
    document.getElementById('risk-table').dataset.rows = String(page.items.length);
  }

  // ---- load --------------------------------------------------------------------------------------------------------

  let generation = 0;

  async function load() {
    const mine = ++generation;
    const token = currentToken();
    document.getElementById('token-state').textContent = describeToken(token);
    clearMessage();
    setState('false');

    const parts = [
      [QUERIES.revocationsByYear, drawRevocationsByYear],
      [QUERIES.revocationsByPrefecture, drawRevocationsByPrefecture],
      [QUERIES.mocByCountry, drawMocByCountry],
      [QUERIES.riskFlags, drawRiskTable],
    ];
    const results = await Promise.allSettled(parts.map(([url]) => getJson(url, token)));
    if (mine !== generation) return; // A newer load (another token) has started.

    const failures = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        try {
          parts[i][1](result.value);
        } catch (error) {
          failures.push(new ApiError(-1, parts[i][0], `could not be drawn (${error.message})`));
        }
      } else {
        failures.push(result.reason instanceof ApiError ? result.reason : new ApiError(-1, parts[i][0], String(result.reason)));
      }
    });

    if (failures.length === 0) {
      setState('true');
      return;
    }
    // One message per kind of failure (four 401s say the same thing once).
    showMessage(unique(failures.map(explain)).join(' '));
    setState('error', failures[0].status);
  }

  function start() {
    if (typeof window.Chart !== 'function') {
      showMessage('Chart.js did not load (/vendor/chart.js/chart.umd.min.js): the charts cannot be drawn.');
      setState('error', -1);
      return;
    }
    takeTokenFromFragment();

    document.getElementById('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = document.getElementById('token-input');
      const token = input.value.trim();
      input.value = '';
      if (token) sessionStorage.setItem(STORAGE_KEY, token);
      load();
    });
    document.getElementById('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(STORAGE_KEY);
      load();
    });
    window.addEventListener('hashchange', () => {
      takeTokenFromFragment();
      load();
    });

    load();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
