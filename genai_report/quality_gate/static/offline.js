/* genai_report.quality_gate: collapse and tab toggles without jQuery/Bootstrap. */
document.addEventListener('click', function (event) {
  var toggle = event.target.closest('[data-toggle="collapse"],[data-toggle="tab"]');
  if (!toggle) { return; }
  var id = (toggle.getAttribute('href') || toggle.getAttribute('data-target') || '').replace(/^#/, '');
  var target = id && document.getElementById(id);
  if (!target) { return; }
  event.preventDefault();
  if (toggle.getAttribute('data-toggle') === 'collapse') {
    target.classList.toggle('show');
  } else {
    var tabs = toggle.closest('.nav');
    if (tabs) { tabs.querySelectorAll('.nav-link').forEach(function (l) { l.classList.remove('active'); }); }
    toggle.classList.add('active');
    Array.prototype.forEach.call(target.parentNode.children, function (p) { p.classList.remove('active', 'show'); });
    target.classList.add('active', 'show');
  }
});
function showAllValidations() {
  document.querySelectorAll('.hide-succeeded-validation-target-child').forEach(function (e) {
    e.parentNode.style.display = '';
  });
}
function hideSucceededValidations() {
  document.querySelectorAll('.hide-succeeded-validation-target-child').forEach(function (e) {
    e.parentNode.style.display = 'none';
  });
}
