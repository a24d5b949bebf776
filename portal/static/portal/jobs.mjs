// A job's progress page, updated in place (progressive enhancement): without JavaScript
// the page refreshes itself (a <noscript> meta refresh) until the job finishes; with it,
// this polls the job's API every two seconds and updates the stage, bar, time and result,
// and reloads once when the job finishes so the buttons match its new state.
const root = document.querySelector('[data-job-progress]')
const TAGS = { SUCCEEDED: 'govuk-tag--green', FAILED: 'govuk-tag--red', CANCELLED: 'govuk-tag--grey' }

function set (selector, text) {
  const node = root.querySelector(selector)
  if (node) node.textContent = text
}

async function poll () {
  let job
  try {
    const response = await fetch(root.dataset.jobUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    if (!response.ok) return true
    job = await response.json()
  } catch {
    return true // a dropped connection: try again at the next tick
  }
  const status = root.querySelector('[data-job-status]')
  status.textContent = job.status_label
  status.className = 'govuk-tag ' + (TAGS[job.status] || 'govuk-tag--blue')
  set('[data-job-stage]', job.stage || 'Waiting for a worker')
  root.querySelector('[data-job-bar]').value = job.percent
  set('[data-job-percent]', `${job.percent}% done`)
  set('[data-job-elapsed]', job.elapsed_seconds === null ? 'Not started yet' : `${Math.round(job.elapsed_seconds)} seconds`)
  set('[data-job-attempts]', `${job.attempts} of ${job.max_attempts}`)
  const finished = !['QUEUED', 'RUNNING'].includes(job.status)
  if (finished) {
    window.location.reload()
    return false
  }
  return true
}

if (root && root.hasAttribute('data-job-running')) {
  const tick = async () => {
    if (await poll()) window.setTimeout(tick, 2000)
  }
  window.setTimeout(tick, 1000)
}
