// Media in the newsroom, as progressive enhancements of forms that work without script:
// the size check before sending, the editor's upload that stays on the page, the search behind
// the hero picker, and a click on the picture to set the focal point.
import { addMedia } from './tools.js';

const csrf = () => document.querySelector('meta[name=csrf-token]')?.content || '';

export function mediaLabel(m) {
  if (m.caption) return m.caption.length > 80 ? m.caption.slice(0, 80) + '…' : m.caption;
  return m.name || m.url;
}

export async function searchMedia(query) {
  const response = await fetch('/newsroom/medias/recherche?q=' + encodeURIComponent(query), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

function tooLarge(form) {
  const file = form.elements.file?.files?.[0];
  const max = Number(form.dataset.maxBytes || 0);
  return file && max > 0 && file.size > max;
}

function uploadForms(strings) {
  for (const form of document.querySelectorAll('form.nr-upload')) {
    const state = form.querySelector('.nr-upload-state');
    const show = text => { if (state) state.textContent = text || ''; };
    const inEditor = form.id === 'editor-upload';
    form.addEventListener('submit', async event => {
      // Over the limit, the server could only refuse after receiving it all: say so now.
      if (tooLarge(form)) { event.preventDefault(); show(form.dataset.tooLarge); return; }
      if (!inEditor) { show(strings.Uploading); return; }
      event.preventDefault();
      show(strings.Uploading);
      const button = form.querySelector('button[type=submit]');
      if (button) button.disabled = true;
      try {
        const response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json', RequestVerificationToken: csrf() }, credentials: 'same-origin' });
        const result = await response.json().catch(() => ({}));
        if (!response.ok) { show(result.error || strings.UploadFailed); return; }
        addMedia(result);
        const hero = document.getElementById(form.dataset.hero);
        if (hero) {
          addOption(hero, result);
          hero.value = String(result.id);
          hero.dispatchEvent(new Event('change', { bubbles: true }));
        }
        form.reset();
        show(strings.Uploaded);
      } catch {
        show(strings.UploadFailed);
      } finally {
        if (button) button.disabled = false;
      }
    });
  }
}

function addOption(select, m) {
  if ([...select.options].some(o => o.value === String(m.id))) return;
  const option = new Option(mediaLabel(m), String(m.id));
  select.insertBefore(option, select.options[1] || null);
}

const known = new Map();
function remember(list) { for (const m of list) known.set(String(m.id), m); }

function heroPicker(initial) {
  const hero = document.getElementById('hero');
  const field = document.getElementById('hero-search-field');
  const search = document.getElementById('hero-search');
  const thumb = document.getElementById('hero-thumb');
  if (!hero) return;
  remember(initial);
  const showThumb = () => {
    const m = known.get(hero.value);
    if (!thumb) return;
    thumb.hidden = !m;
    if (m) { thumb.src = m.url; thumb.width = m.width; thumb.height = m.height; }
  };
  hero.addEventListener('change', showThumb);
  document.addEventListener('kiosque:media-added', event => remember([event.detail]));
  if (!field || !search || hero.matches(':disabled')) return;
  field.hidden = false;
  let timer = null;
  // Typing in the search is not an edit of the article.
  search.addEventListener('input', event => {
    event.stopPropagation();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      let results;
      try { results = await searchMedia(search.value.trim()); } catch { return; }
      remember(results);
      const current = hero.value;
      for (const option of [...hero.options]) if (option.value && option.value !== current) option.remove();
      for (const m of results) addOption(hero, m);
      hero.value = current;
    }, 250);
  });
  search.addEventListener('change', event => event.stopPropagation());
}

function focalPoint() {
  const image = document.getElementById('focal-image');
  const marker = document.getElementById('focal-marker');
  const x = document.getElementById('focalX');
  const y = document.getElementById('focalY');
  if (!image || !marker || !x || !y) return;
  const place = () => {
    const fx = Number(x.value), fy = Number(y.value);
    if (Number.isFinite(fx) && Number.isFinite(fy)) { marker.style.left = `${Math.min(1, Math.max(0, fx)) * 100}%`; marker.style.top = `${Math.min(1, Math.max(0, fy)) * 100}%`; }
  };
  image.classList.add('nr-focal-clickable');
  image.addEventListener('click', event => {
    const box = image.getBoundingClientRect();
    const round = v => String(Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000);
    x.value = round((event.clientX - box.left) / box.width);
    y.value = round((event.clientY - box.top) / box.height);
    place();
  });
  x.addEventListener('input', place);
  y.addEventListener('input', place);
}

export function startMedia(strings, initialMedia) {
  uploadForms(strings);
  heroPicker(initialMedia);
  focalPoint();
}
