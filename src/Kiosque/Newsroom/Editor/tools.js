// Our own Editor.js block tools, one per block of the stored body that no published tool fits:
// a quote with its source and verification, an image from the media library, an embed shown as a
// link card, a "read also" link to another article. Each renders plain labelled form fields.
let context = { strings: {}, media: [], articles: [] };
export function setContext(value) { context = value; }
// A picture uploaded from the editor: every image block can choose it at once.
export function addMedia(m) {
  if (!context.media.some(x => x.id === m.id)) context.media.unshift(m);
  document.dispatchEvent(new CustomEvent('kiosque:media-added', { detail: m }));
}
const S = () => context.strings;

const icons = {
  quote: '<svg width="17" height="15" viewBox="0 0 17 15"><path d="M0 9.5C0 4 3 1 7 0l.6 1.6C5 2.7 3.6 4.6 3.4 7H7v8H0V9.5zm10 0C10 4 13 1 17 0l-.6 1.6C14 2.7 12.6 4.6 12.4 7H16v8h-6V9.5z" fill="currentColor"/></svg>',
  image: '<svg width="17" height="15" viewBox="0 0 17 15"><path d="M1 1h15v13H1zM3 12l4-5 3 3 2-2 3 4z" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
  embed: '<svg width="17" height="15" viewBox="0 0 17 15"><path d="M5 3L1 7.5 5 12M12 3l4 4.5-4 4.5" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>',
  readAlso: '<svg width="17" height="15" viewBox="0 0 17 15"><path d="M2 2h9M2 7h13M2 12h7" stroke="currentColor" stroke-width="1.8"/></svg>',
};

let counter = 0;
function field(container, label, element) {
  const id = `block-field-${++counter}`;
  const labelElement = document.createElement('label');
  labelElement.htmlFor = id;
  labelElement.textContent = label;
  element.id = id;
  container.append(labelElement, element);
  return element;
}
function input(value, type = 'text') { const e = document.createElement('input'); e.type = type; e.value = value ?? ''; return e; }
function textarea(value, className) { const e = document.createElement('textarea'); e.value = value ?? ''; if (className) e.className = className; e.rows = 3; return e; }
function select(options, value) {
  const e = document.createElement('select');
  for (const [key, label] of options) { const o = document.createElement('option'); o.value = String(key); o.textContent = label; if (String(key) === String(value ?? '')) o.selected = true; e.appendChild(o); }
  return e;
}
function box(title) { const d = document.createElement('div'); d.className = 'nr-block-form'; const t = document.createElement('strong'); t.textContent = title; d.appendChild(t); return d; }

class FormTool {
  // Enter inside the fields types a line break instead of starting a new block.
  static get enableLineBreaks() { return true; }
  static get isReadOnlySupported() { return true; }
  constructor({ data, readOnly }) { this.data = data || {}; this.readOnly = readOnly; }
  disable(container) { if (this.readOnly) container.querySelectorAll('input,textarea,select').forEach(e => { e.disabled = true; }); return container; }
}

export class SourcedQuote extends FormTool {
  static get toolbox() { return { title: S().Quote || 'Quote', icon: icons.quote }; }
  static get pasteConfig() { return { tags: ['BLOCKQUOTE'] }; }
  static get conversionConfig() { return { export: 'text', import: 'text' }; }
  render() {
    const d = box(S().Quote);
    this.text = field(d, S().QuoteText, textarea(this.data.text, 'quote-text'));
    this.source = field(d, S().QuoteSource, input(this.data.source));
    this.url = field(d, S().QuoteUrl, input(this.data.url, 'url'));
    this.verification = field(d, S().Verification, select([['verified', S().Verified], ['unverified', S().Unverified], ['disputed', S().Disputed]], this.data.verification || 'verified'));
    this.note = field(d, S().QuoteNote, input(this.data.note));
    return this.disable(d);
  }
  // A new quote starts in its text, not in the last field where Editor.js puts the caret.
  rendered() { if (!this.readOnly && !this.text.value) setTimeout(() => this.text.focus(), 0); }
  onPaste(event) { this.data = { text: event.detail.data.innerText }; if (this.text) this.text.value = this.data.text; }
  save() { return { text: this.text.value, source: this.source.value, url: this.url.value, verification: this.verification.value, note: this.note.value }; }
}

export class MediaImage extends FormTool {
  static get toolbox() { return { title: S().Image || 'Image', icon: icons.image }; }
  render() {
    const d = box(S().Image);
    const label = m => m.caption || m.name || m.url;
    const options = [['', S().ChooseImage], ...context.media.map(m => [m.id, label(m)])];
    // The page carries only recent pictures (and the article's own): the search asks the library.
    const search = input('', 'search');
    search.autocomplete = 'off';
    field(d, S().SearchLibrary, search);
    this.media = field(d, S().FromLibrary, select(options, this.data.mediaId));
    this.preview = document.createElement('img');
    this.preview.alt = '';
    this.preview.style.maxWidth = '16rem';
    const found = new Map(context.media.map(m => [String(m.id), m]));
    const update = () => { const m = found.get(this.media.value); this.preview.hidden = !m; if (m) this.preview.src = m.url; };
    const add = m => {
      found.set(String(m.id), m);
      if (![...this.media.options].some(o => o.value === String(m.id))) this.media.insertBefore(new Option(label(m), String(m.id)), this.media.options[1] || null);
    };
    document.addEventListener('kiosque:media-added', event => add(event.detail));
    let timer = null;
    // Typing in the search is not an edit of the article.
    search.addEventListener('input', event => {
      event.stopPropagation();
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const response = await fetch('/newsroom/medias/recherche?q=' + encodeURIComponent(search.value.trim()), { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).catch(() => null);
        if (!response || !response.ok) return;
        const results = await response.json();
        const current = this.media.value;
        for (const option of [...this.media.options]) if (option.value && option.value !== current) option.remove();
        results.forEach(add);
        this.media.value = current;
      }, 250);
    });
    this.media.addEventListener('change', update);
    d.appendChild(this.preview);
    update();
    this.caption = field(d, S().Caption, input(this.data.caption));
    this.credit = field(d, S().Credit, input(this.data.credit));
    this.alt = field(d, S().Alt, input(this.data.alt));
    return this.disable(d);
  }
  save() { return { mediaId: this.media.value ? Number(this.media.value) : 0, caption: this.caption.value, credit: this.credit.value, alt: this.alt.value }; }
}

export class LinkEmbed extends FormTool {
  static get toolbox() { return { title: S().Embed || 'Embed', icon: icons.embed }; }
  static get pasteConfig() { return { patterns: { url: /^https?:\/\/\S+$/i } }; }
  render() {
    const d = box(S().Embed);
    this.url = field(d, S().EmbedUrl, input(this.data.url, 'url'));
    this.provider = field(d, S().EmbedProvider, input(this.data.provider));
    this.title = field(d, S().EmbedTitle, input(this.data.title));
    return this.disable(d);
  }
  onPaste(event) { this.data = { url: event.detail.data }; if (this.url) this.url.value = this.data.url; }
  save() { return { url: this.url.value, provider: this.provider.value, title: this.title.value }; }
}

export class ReadAlso extends FormTool {
  static get toolbox() { return { title: S().ReadAlso || 'Read also', icon: icons.readAlso }; }
  render() {
    const d = box(S().ReadAlso);
    const options = [['', S().ChooseArticle], ...context.articles.map(a => [a.id, a.name])];
    this.article = field(d, S().Article, select(options, this.data.articleId));
    return this.disable(d);
  }
  save() { return { articleId: this.article.value ? Number(this.article.value) : 0 }; }
}
