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

async function refreshStatus() {
  try {
    const status = (await api('GET', '/common/status')).data;
    const alive = status.instances.filter((instance) => instance.alive).length;
    const oldest = status.oldest_waiting.reduce((most, queue) => Math.max(most, queue.waiting_seconds), 0);
    $('status-strip').textContent = status.running.length + ' running · '
      + status.jobs_by_status.open + ' open, oldest waiting ' + oldest + ' s · '
      + status.troubled.length + ' stuck or overdue · ' + status.dead_letters_waiting + ' dead letters waiting · '
      + alive + ' of ' + status.instances.length + ' instances alive';
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
$('close-detail').addEventListener('click', () => { selected = null; $('detail').hidden = true; });
$('filter-status').addEventListener('change', refreshJobs);
$('filter-type').addEventListener('change', refreshJobs);

$('api-key').value = apiKey;
refreshJobs();
setInterval(refreshJobs, 1000);
