// The newsroom's block editor: Editor.js with our block tools, autosave and conflict handling.
// Built by esbuild into wwwroot/newsroom/editor.js (see Kiosque.csproj); never edit the bundle.
// The server checks and sanitises every block; this file only makes editing pleasant.
import EditorJS from '@editorjs/editorjs';
import Header from '@editorjs/header';
import List from '@editorjs/list';
import Paragraph from '@editorjs/paragraph';
import { SourcedQuote, MediaImage, LinkEmbed, ReadAlso, setContext } from './tools.js';
import { startMedia } from './media.js';

const AUTOSAVE_MS = 4000;

function json(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : null;
}

function start() {
  const S = json('editor-strings') || {};
  const media = json('media-library') || [];
  setContext({ strings: S, media, articles: json('readalso-library') || [] });
  startMedia(S, media);
  const form = document.getElementById('article-form');
  if (!form) return;
  const fields = form.elements;
  const readOnly = form.querySelector('fieldset').disabled;
  const state = document.getElementById('save-state');
  const csrf = document.querySelector('meta[name=csrf-token]')?.content || '';
  let dirty = false;
  let saving = null;
  let blocked = false;
  // Editor.js reports changes while it renders the saved body: those are not the journalist's.
  let ready = false;
  let lastSent = null;

  const editor = new EditorJS({
    holder: 'body-editor',
    data: JSON.parse(fields.body.value || '{"blocks":[]}'),
    readOnly,
    placeholder: S.Placeholder,
    defaultBlock: 'paragraph',
    // Pasted HTML (a word processor's) is cut down to these inline tags; the server does it again.
    inlineToolbar: ['bold', 'italic', 'link'],
    tools: {
      paragraph: { class: Paragraph, inlineToolbar: true, config: { preserveBlank: false } },
      header: { class: Header, inlineToolbar: false, shortcut: 'CMD+SHIFT+H', config: { levels: [2, 3, 4], defaultLevel: 2, placeholder: S.HeadingPlaceholder } },
      list: { class: List, inlineToolbar: true, shortcut: 'CMD+SHIFT+L', config: { defaultStyle: 'unordered', maxLevel: 1 } },
      quote: { class: SourcedQuote, shortcut: 'CMD+SHIFT+O' },
      image: { class: MediaImage },
      embed: { class: LinkEmbed },
      readAlso: { class: ReadAlso },
    },
    i18n: { messages: messages(S) },
    onChange: () => { if (ready) changed(); },
  });
  window.kiosqueEditor = editor;
  editor.isReady.then(async () => {
    await syncBody();
    lastSent = payload();
    setTimeout(() => { ready = true; }, 300);
  });

  function changed() { dirty = true; show(S.Unsaved); }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  async function syncBody() {
    const data = await editor.save();
    fields.body.value = JSON.stringify({ blocks: data.blocks.map(b => ({ type: b.type, data: b.data })) });
  }

  // What a save would send, without the bookkeeping fields: equal payloads need no request and no revision.
  function payload() {
    const data = new FormData(form);
    for (const name of ['kind', 'version', '__RequestVerificationToken']) data.delete(name);
    return JSON.stringify([...data.entries()]);
  }

  function show(text) { if (state && !blocked) state.textContent = text || ''; }

  async function save(kind) {
    if (readOnly || blocked) return false;
    if (saving) { await saving; if (!dirty && kind === 'autosave') return true; }
    saving = (async () => {
      dirty = false;
      await syncBody();
      const sending = payload();
      if (sending === lastSent) {
        if (kind !== 'autosave') show(S.NoChange);
        return true;
      }
      fields.kind.value = kind;
      show(S.Saving);
      let response;
      try {
        response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json', RequestVerificationToken: csrf }, credentials: 'same-origin' });
      } catch {
        dirty = true;
        show(S.Offline);
        return false;
      }
      const result = await response.json().catch(() => ({}));
      if (response.ok) {
        lastSent = sending;
        fields.version.value = result.version;
        if (result.slug && document.activeElement !== fields.slug) fields.slug.value = result.slug;
        show(result.savedAt);
        return true;
      }
      dirty = true;
      if (response.status === 409) {
        conflict(result);
      } else if (response.status === 401) {
        show(S.SignedOut);
      } else {
        show(result.error || S.Failed);
      }
      return false;
    })();
    try { return await saving; } finally { saving = null; }
  }

  // Someone else saved first: nothing is overwritten until the journalist chooses.
  function conflict(result) {
    blocked = true;
    const box = document.getElementById('conflict');
    document.getElementById('conflict-message').textContent = result.error;
    document.getElementById('conflict-compare').href = result.compare;
    const merge = document.getElementById('conflict-merge');
    if (result.merge) {
      merge.href = result.merge;
      merge.hidden = false;
      // The refused version is kept on the server: leaving for the merge page loses nothing.
      merge.onclick = () => { dirty = false; };
    }
    box.hidden = false;
    state.textContent = result.error;
    document.getElementById('conflict-reload').onclick = () => { dirty = false; window.location.reload(); };
    document.getElementById('conflict-keep').onclick = async () => {
      fields.version.value = result.currentVersion;
      blocked = false;
      box.hidden = true;
      await save('save');
    };
  }

  setInterval(() => { if (dirty) save('autosave'); }, AUTOSAVE_MS);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    await save('save');
  });

  // A workflow step (submit, publish…) applies to what is on screen: save it first.
  const workflow = document.getElementById('workflow-form');
  if (workflow && !readOnly) {
    workflow.addEventListener('submit', async event => {
      if (!dirty) return;
      event.preventDefault();
      const button = event.submitter;
      if (await save('save')) {
        if (button) { const hidden = document.createElement('input'); hidden.type = 'hidden'; hidden.name = button.name; hidden.value = button.value; workflow.appendChild(hidden); }
        workflow.submit();
      }
    });
  }

  window.addEventListener('beforeunload', event => {
    if (dirty && ready && !readOnly) { save('autosave'); event.preventDefault(); }
  });
}

function messages(S) {
  return {
    ui: {
      blockTunes: { toggler: { 'Click to tune': S.Tune, 'or drag to move': S.Drag } },
      inlineToolbar: { converter: { 'Convert to': S.ConvertTo } },
      toolbar: { toolbox: { Add: S.Add } },
      popover: { Filter: S.Filter, 'Nothing found': S.NothingFound, 'Convert to': S.ConvertTo },
    },
    toolNames: {
      Text: S.Paragraph, Heading: S.Heading, List: S.List, Quote: S.Quote, Image: S.Image, Embed: S.Embed, 'Read also': S.ReadAlso,
      'Unordered List': S.Unordered, 'Ordered List': S.Ordered, Checklist: S.Unordered,
      Bold: S.Bold, Italic: S.Italic, Link: S.Link,
    },
    tools: {
      link: { 'Add a link': S.AddLink },
      stub: { 'The block can not be displayed correctly.': S.Broken },
      list: { Unordered: S.Unordered, Ordered: S.Ordered, Checklist: S.Unordered },
      header: { 'Heading 2': S.Heading2, 'Heading 3': S.Heading3, 'Heading 4': S.Heading4 },
    },
    blockTunes: {
      delete: { Delete: S.Delete, 'Click to delete': S.ConfirmDelete },
      moveUp: { 'Move up': S.MoveUp },
      moveDown: { 'Move down': S.MoveDown },
    },
  };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
