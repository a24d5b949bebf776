// Loaded with <script type="module">; copied to static/dist by assets/build.mjs.
import { initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { initAll as initMojFrontend } from './moj-frontend.min.js'

// GOV.UK Frontend components (error summary, notification banner, radios, ...)
initGovukFrontend()
// MOJ Frontend components (sortable table, button menu, ...)
initMojFrontend()

// Long-running forms (the Unpaid Work planner): once submitted, say that work is under
// way and count the seconds, so nobody thinks the page has stuck. Without JavaScript
// the form still submits and the result page arrives when it is ready.
for (const form of document.querySelectorAll('form[data-planner-form]')) {
  form.addEventListener('submit', () => {
    const status = form.querySelector('[data-planner-status]')
    if (!status) return
    const started = Date.now()
    status.classList.remove('govuk-visually-hidden')
    const tick = () => {
      const seconds = Math.round((Date.now() - started) / 1000)
      status.textContent = `Planning: ${seconds} second${seconds === 1 ? '' : 's'} so far. The proposal opens when it is ready.`
    }
    tick()
    window.setInterval(tick, 1000)
  })
}
