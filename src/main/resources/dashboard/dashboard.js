// The dashboard: the jobs API, called with the key the user typed (kept in this browser only).
const $ = (id) => document.getElementById(id);
let apiKey = localStorage.getItem('dromedaryApiKey') || '';
let selected = null;

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(json.error || response.status);
  }
  return json;
}

function text(value) {
  return value === null || value === undefined ? '' : String(value);
}

function progressCell(job) {
  const percent = job.progress.percent;
  const cell = document.createElement('td');
  if (percent === null || percent === undefined) {
    cell.textContent = '';
    return cell;
  }
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.setAttribute('aria-valuenow', String(percent));
  bar.dataset.job = job.uuid;
  const fill = document.createElement('div');
  fill.style.width = percent + '%';
  bar.appendChild(fill);
  const label = document.createElement('span');
  label.className = 'percent';
  label.textContent = percent.toFixed(1) + ' %';
  if (job.progress.seconds_left !== null && job.progress.seconds_left !== undefined) {
    label.textContent += ', ' + job.progress.seconds_left + ' s left';
  }
  cell.append(bar, label);
  return cell;
}

function row(job) {
  const tr = document.createElement('tr');
  tr.dataset.job = job.uuid;
  const cells = [
    new Date(job.created_at).toLocaleString(),
    job.job_type,
    job.queue + (job.priority ? ' · priority ' + job.priority : '') + (job.waiting_on ? ' · waits on ' + job.waiting_on : ''),
  ];
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = value;
    tr.appendChild(td);
  }
  const status = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = 'status ' + job.status;
  badge.textContent = job.status;
  status.appendChild(badge);
  tr.appendChild(status);
  tr.appendChild(progressCell(job));
  const rows = document.createElement('td');
  rows.textContent = job.progress.rows_written + ' / ' + job.progress.rows_read
      + (job.progress.rows_failed ? ' (' + job.progress.rows_failed + ' failed)' : '');
  tr.appendChild(rows);
  const instance = document.createElement('td');
  instance.textContent = text(job.claimed_by);
  tr.appendChild(instance);
  const open = document.createElement('td');
  open.textContent = 'details';
  tr.appendChild(open);
  tr.addEventListener('click', () => showDetail(job.uuid));
  return tr;
}

async function refreshJobs() {
  if (!apiKey) {
    $('error').textContent = 'Type the API key above.';
    return;
  }
  const query = { limit: 50 };
  if ($('filter-status').value) query.status = [$('filter-status').value];
  if ($('filter-type').value) query.job_type = $('filter-type').value;
  try {
    const list = await api('POST', '/common/jobs', query);
    $('job-rows').replaceChildren(...list.data.map(row));
    $('error').textContent = '';
  } catch (e) {
    $('error').textContent = e.message;
  }
  if (selected) {
    refreshDetail();
  }
  refreshStatus();
}

const SVG = 'http://www.w3.org/2000/svg';

function svgElement(name, attributes, content) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (content !== undefined) {
    element.textContent = content;
  }
  return element;
}

/** Bars of completed (green) over failed (red) for each of the last 24 hours. */
function drawHourly(hours) {
  const svg = $('hourly');
  const most = Math.max(1, ...hours.map((hour) => hour.completed + hour.failed));
  const width = 28;
  const children = [];
  hours.forEach((hour, i) => {
    const completed = Math.round(50 * hour.completed / most);
    const failed = Math.round(50 * hour.failed / most);
    const title = new Date(hour.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      + ': ' + hour.completed + ' completed, ' + hour.failed + ' failed';
    const bar = svgElement('g', { 'data-hour': hour.hour });
    bar.append(svgElement('title', {}, title),
      svgElement('rect', { x: i * width + 2, y: 55 - completed - failed, width: width - 4, height: completed, fill: '#6aa86a', class: 'completed' }),
      svgElement('rect', { x: i * width + 2, y: 55 - failed, width: width - 4, height: failed, fill: '#c8564c', class: 'failed' }));
    children.push(bar);
    if (i % 6 === 0) {
      children.push(svgElement('text', { x: i * width + 2, y: 68 }, new Date(hour.hour).getHours() + ':00'));
    }
  });
  svg.replaceChildren(...children);
  const completed = hours.reduce((sum, hour) => sum + hour.completed, 0);
  const failed = hours.reduce((sum, hour) => sum + hour.failed, 0);
  $('hourly-caption').textContent = 'Last 24 hours: ' + completed + ' completed, ' + failed + ' failed';
}

/** Rows a second between the run's progress samples, as a line over its time. */
function drawSpeed(samples) {
  const points = samples.filter((sample) => sample.rows_per_second !== null);
  $('speed').hidden = points.length < 2;
  if (points.length < 2) {
    return;
  }
  const first = Date.parse(samples[0].at);
  const last = Date.parse(samples[samples.length - 1].at);
  const fastest = Math.max(1, ...points.map((sample) => sample.rows_per_second));
  const line = points.map((sample) => {
    const x = 40 + 470 * (last === first ? 0 : (Date.parse(sample.at) - first) / (last - first));
    const y = 130 - 120 * sample.rows_per_second / fastest;
    return Math.round(x) + ',' + Math.round(y);
  }).join(' ');
  $('speed-chart').replaceChildren(
    svgElement('line', { x1: 40, y1: 130, x2: 515, y2: 130, stroke: '#aaa' }),
    svgElement('line', { x1: 40, y1: 8, x2: 40, y2: 130, stroke: '#aaa' }),
    svgElement('text', { x: 0, y: 16 }, String(Math.round(fastest))),
    svgElement('text', { x: 0, y: 128 }, '0'),
    svgElement('text', { x: 40, y: 146 }, '0 s'),
    svgElement('text', { x: 470, y: 146 }, Math.round((last - first) / 1000) + ' s'),
    svgElement('polyline', { points: line, fill: 'none', stroke: '#c08a4a', 'stroke-width': 2 }));
}

/** Horizontal bars, one per label, as long as its count against the largest. */
function bars(svg, entries) {
  const most = Math.max(1, ...entries.map((entry) => entry.count));
  svg.setAttribute('height', String(entries.length * 18 + 4));
  svg.replaceChildren(...entries.flatMap((entry, i) => {
    const length = Math.max(1, Math.round(160 * entry.count / most));
    const label = entry.label.length > 40 ? entry.label.slice(0, 39) + '…' : entry.label;
    return [svgElement('text', { x: 0, y: i * 18 + 14 }, label),
      svgElement('rect', { x: 260, y: i * 18 + 4, width: length, height: 12, fill: '#c08a4a' }),
      svgElement('text', { x: 264 + length, y: i * 18 + 14 }, String(entry.count))];
  }));
}

function drawReasons(reasons) {
  $('reasons').hidden = reasons.length === 0;
  bars($('reasons-chart'), reasons.map((reason) => ({ label: reason.reason, count: reason.count })));
}

function drawStatistics(job) {
  const statistics = job.job_response;
  const shown = job.job_type === 'dataset_statistics' && statistics && Array.isArray(statistics.columns);
  $('statistics').hidden = !shown;
  if (!shown) {
    return;
  }
  $('statistics-dataset').textContent = statistics.dataset;
  $('statistics-rows').textContent = statistics.rows;
  $('statistics-quality').textContent = statistics.quality.score;
  $('statistics-table').tBodies[0].replaceChildren(...statistics.columns.map((column) => {
    const tr = document.createElement('tr');
    tr.dataset.column = column.name;
    const range = column.min === undefined ? (column.length ? 'length ' + column.length.min + '–' + column.length.max : '')
      : column.min + ' – ' + column.max + ' · ' + text(column.median) + ' · ' + text(column.p90);
    for (const value of [column.name, column.type, (column.empty_ratio * 100).toFixed(1) + ' %',
      column.distinct + (column.distinct_exact ? '' : ' (est.)'), range]) {
      const td = document.createElement('td');
      td.textContent = value;
      tr.appendChild(td);
    }
    const top = document.createElement('td');
    if (column.top_values && column.top_values.length) {
      const svg = svgElement('svg', { width: 480, class: 'top-values', role: 'img', 'aria-label': 'top values of ' + column.name });
      bars(svg, column.top_values.slice(0, 5).map((value) => ({ label: value.value, count: value.count })));
      top.appendChild(svg);
    }
    tr.appendChild(top);
    const quality = document.createElement('td');
    quality.textContent = column.quality.score;
    quality.title = column.quality.rule;
    tr.appendChild(quality);
    return tr;
  }));
}

function cells(values) {
  const tr = document.createElement('tr');
  for (const value of values) {
    const td = document.createElement('td');
    if (value instanceof Node) {
      td.appendChild(value);
    } else {
      td.textContent = text(value);
    }
    tr.appendChild(td);
  }
  return tr;
}

async function refreshAlerts() {
  try {
    const alerts = await api('GET', '/common/alerts?limit=20');
    const firing = alerts.alerts.filter((alert) => alert.state === 'firing').length;
    $('alerts-rules').textContent = alerts.rules.length + ' rules · ' + firing + ' firing'
      + (alerts.rules_error ? ' · ' + alerts.rules_error : '');
    $('alert-rows').replaceChildren(...alerts.alerts.map((alert) => {
      const state = document.createElement('span');
      state.className = 'status ' + (alert.state === 'firing' ? 'failed' : 'completed');
      state.textContent = alert.state + (alert.repeats ? ' (' + alert.repeats + ' reminders)' : '');
      const notices = alert.notices.map((notice) => notice.channel + ' ' + notice.notice + ': ' + notice.state
        + (notice.last_error ? ' (' + notice.last_error + ')' : '')).join('; ');
      return cells([alert.started_at, alert.rule, state, alert.summary, notices]);
    }));
  } catch (e) {
    $('alerts-rules').textContent = '';
  }
}

async function drawWatch(job) {
  const watch = job.job_type === 'watch_url' && job.data ? job.data.watch : null;
  $('watch').hidden = !watch;
  if (!watch) {
    return;
  }
  $('watch-name').textContent = watch;
  try {
    const history = await api('GET', '/common/watches/' + encodeURIComponent(watch) + '/changes?limit=20');
    $('watch-changes').tBodies[0].replaceChildren(...history.changes.map((change) => {
      const diff = document.createElement('pre');
      diff.textContent = change.changed ? change.diff : '(the baseline)';
      return cells([change.taken_at, change.checked_at, change.lines, change.lines_added, change.lines_removed, diff]);
    }));
  } catch (e) {
    $('watch-changes').tBodies[0].replaceChildren();
  }
}

async function refreshStatus() {
  try {
    const status = (await api('GET', '/common/status')).data;
    drawHourly(status.jobs_per_hour);
    const alive = status.instances.filter((instance) => instance.alive).length;
    const oldest = status.oldest_waiting.reduce((most, queue) => Math.max(most, queue.waiting_seconds), 0);
    $('status-strip').textContent = status.running.length + ' running · '
      + status.jobs_by_status.open + ' open, oldest waiting ' + oldest + ' s · '
      + status.troubled.length + ' stuck or overdue · ' + status.dead_letters_waiting + ' dead letters waiting · '
      + alive + ' of ' + status.instances.length + ' instances alive · '
      + status.retention.jobs_pruned + ' finished jobs pruned'
      + (status.retention.last_pruned_at ? ' (last ' + status.retention.last_pruned_at + ')' : '')
      + status.schedule_skips.map((skips) => ' · schedule ' + skips.schedule + ' skipped ' + skips.skips
        + ' fire times (' + skips.last_reason + ')').join('');
  } catch (e) {
    $('status-strip').textContent = '';
  }
}

async function showDetail(uuid) {
  selected = uuid;
  $('detail').hidden = false;
  $('detail-uuid').textContent = uuid;
  await refreshDetail();
}

async function refreshDetail() {
  try {
    const job = (await api('GET', '/common/jobs/' + selected)).data;
    $('detail-response').textContent = JSON.stringify({ status: job.status, attempts: job.attempts,
      run_after: job.run_after, priority: job.priority, queue: job.queue, timeout_seconds: job.timeout_seconds,
      depends_on: job.depends_on, waiting_on: job.waiting_on, batch_uuid: job.batch_uuid,
      job_response: job.job_response, progress: job.progress }, null, 2);
    $('retry').disabled = job.status !== 'failed';
    drawStatistics(job);
    await drawWatch(job);
    const report = (await api('GET', '/common/jobs/' + selected + '/report')).data;
    drawSpeed(report.samples);
    drawReasons(report.dead_letters_by_reason);
    $('cancel').disabled = ['completed', 'cancelled'].includes(job.status);
    const letters = (await api('GET', '/common/dead-letters?limit=100&job_uuid=' + selected)).data;
    $('dead-letters').replaceChildren(...letters.map((letter) => {
      const tr = document.createElement('tr');
      for (const value of [letter.row_number, letter.error, letter.payload, text(letter.reprocessed_at)]) {
        const td = document.createElement('td');
        td.textContent = text(value);
        tr.appendChild(td);
      }
      return tr;
    }));
  } catch (e) {
    $('error').textContent = e.message;
  }
}

$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  apiKey = $('api-key').value.trim();
  localStorage.setItem('dromedaryApiKey', apiKey);
  try {
    const instance = (await api('GET', '/common/instance'));
    $('instance').textContent = 'instance ' + instance.instance_id;
  } catch (e) {
    $('instance').textContent = '';
  }
  refreshJobs();
});

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await api('POST', '/common/jobs/create', {
      job_type: $('job-type').value,
      job_data: JSON.parse($('job-data').value || '{}'),
      retry_count: Number($('retry-count').value || 0),
      priority: Number($('priority').value || 0),
      queue: $('queue').value || 'default',
      ...($('timeout-seconds').value ? { timeout_seconds: Number($('timeout-seconds').value) } : {}),
      ...($('depends-on').value.trim() ? { depends_on: $('depends-on').value.split(',').map((uuid) => uuid.trim()) } : {}),
    });
    $('create-result').textContent = 'Created ' + created.uuid;
    $('create-result').dataset.job = created.uuid;
    refreshJobs();
  } catch (e) {
    $('create-result').textContent = e.message;
  }
});

$('retry').addEventListener('click', async () => {
  await api('POST', '/common/jobs/' + selected + '/retry', {}).catch((e) => { $('error').textContent = e.message; });
  refreshJobs();
});
$('cancel').addEventListener('click', async () => {
  await api('POST', '/common/jobs/' + selected + '/cancel', {}).catch((e) => { $('error').textContent = e.message; });
  refreshJobs();
});
$('report-link').addEventListener('click', async (event) => {
  event.preventDefault();
  // the page needs the key, which a plain link cannot send: fetched with it, then opened from memory
  const response = await fetch('/common/jobs/' + selected + '/report', { headers: { 'X-API-Key': apiKey, Accept: 'text/html' } });
  window.open(URL.createObjectURL(await response.blob()), '_blank');
});
$('close-detail').addEventListener('click', () => { selected = null; $('detail').hidden = true; });
$('filter-status').addEventListener('change', refreshJobs);
$('filter-type').addEventListener('change', refreshJobs);

$('api-key').value = apiKey;
refreshJobs();
refreshAlerts();
setInterval(refreshJobs, 1000);
setInterval(refreshAlerts, 5000);
