// The story body's rich-text editor in the desk. Tiptap comes from django-prose-editor's own static files;
// the toolbar, the link box and every word on them are in the widget's template
// (articles/templates/articles/desk/body_editor.html). What is stored is cleaned again on the server.
import {
  Blockquote,
  Bold,
  BulletList,
  Document,
  Dropcursor,
  Editor,
  Gapcursor,
  HardBreak,
  Heading,
  History,
  Italic,
  Link,
  ListItem,
  OrderedList,
  Paragraph,
  Text,
} from "../django_prose_editor/editor.js";

const ADDRESS = /^(https?:\/\/\S+|mailto:\S+|\/\S*)$/i;
const SEARCH_DELAY_MS = 200;

// What the toolbar's buttons do, and when each shows as pressed.
const COMMANDS = {
  paragraph: { run: (c) => c.setParagraph(), active: (e) => e.isActive("paragraph") },
  h2: { run: (c) => c.toggleHeading({ level: 2 }), active: (e) => e.isActive("heading", { level: 2 }) },
  h3: { run: (c) => c.toggleHeading({ level: 3 }), active: (e) => e.isActive("heading", { level: 3 }) },
  bold: { run: (c) => c.toggleBold(), active: (e) => e.isActive("bold") },
  italic: { run: (c) => c.toggleItalic(), active: (e) => e.isActive("italic") },
  unlink: { run: (c) => c.extendMarkRange("link").unsetLink() },
  bulletList: { run: (c) => c.toggleBulletList(), active: (e) => e.isActive("bulletList") },
  orderedList: { run: (c) => c.toggleOrderedList(), active: (e) => e.isActive("orderedList") },
  blockquote: { run: (c) => c.toggleBlockquote(), active: (e) => e.isActive("blockquote") },
};

// The body as stored: one top-level block a line (as bodies always were, so line diffs stay readable),
// no empty paragraphs, and a list item's lone paragraph unwrapped.
function tidy(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  for (const item of template.content.querySelectorAll("li")) {
    if (item.children.length === 1 && item.firstElementChild.tagName === "P") {
      item.innerHTML = item.firstElementChild.innerHTML;
    }
  }
  return Array.from(template.content.children)
    .filter((block) => block.tagName !== "P" || block.textContent.trim() || block.querySelector("br"))
    .map((block) => block.outerHTML)
    .join("\n");
}

function setUp(root) {
  const textarea = root.querySelector("textarea");
  const toolbar = root.querySelector("[role=toolbar]");
  const area = root.querySelector(".body-editor-area");
  const linkBox = root.querySelector(".body-editor-link");
  const linkQuery = linkBox.querySelector("input");
  const linkStatus = linkBox.querySelector("[role=status]");
  const linkResults = linkBox.querySelector("ul");
  const linkButton = toolbar.querySelector("[data-command=link]");
  const buttons = Array.from(toolbar.querySelectorAll("button"));

  // The field's own label names the editing area, and its help text describes it.
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const attributes = { role: "textbox", "aria-multiline": "true", spellcheck: "true" };
  if (label) {
    label.id = label.id || `${textarea.id}-label`;
    attributes["aria-labelledby"] = label.id;
    label.addEventListener("click", () => editor.commands.focus());
  }
  const described = [textarea.getAttribute("aria-describedby"), `${textarea.id}-hint`].filter(Boolean);
  root.querySelector(".body-editor-hint").id = `${textarea.id}-hint`;
  attributes["aria-describedby"] = described.join(" ");

  const editor = new Editor({
    element: area,
    injectCSS: false, // the CSP allows no inline styles; desk.css carries what ProseMirror needs
    content: textarea.value,
    editorProps: {
      attributes,
      // Office and Docs HTML carries <style> blocks and style attributes: drop them before the browser
      // parses the paste, so the CSP has nothing to refuse; the schema then keeps only what the toolbar makes.
      transformPastedHTML: (html) =>
        html
          .replace(/<style[\s\S]*?<\/style>/gi, "")
          .replace(/<!--[\s\S]*?-->/g, "")
          // Google Docs wraps a whole paste in <b style="font-weight:normal">: without its style it would read as bold.
          .replace(/<b\b[^>]*\bid=["']?docs-internal-guid[^>]*>/gi, "")
          .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, ""),
      handleKeyDown(view, event) {
        if (event.altKey && event.key === "F10") {
          event.preventDefault();
          focusButton(buttons.find((b) => b.tabIndex === 0) || buttons[0]);
          return true;
        }
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
          event.preventDefault();
          openLinkBox();
          return true;
        }
        return false;
      },
    },
    extensions: [
      Document,
      Paragraph,
      Text,
      HardBreak,
      History,
      Dropcursor,
      Gapcursor,
      Heading.configure({ levels: [2, 3] }),
      Bold,
      Italic,
      Link.configure({
        openOnClick: false,
        autolink: false,
        protocols: ["mailto"],
        HTMLAttributes: { target: null, rel: null },
      }),
      BulletList,
      OrderedList,
      ListItem,
      Blockquote,
    ],
    // Only a change the writer makes rewrites the field: an untouched body is sent back exactly as it came.
    onUpdate() {
      textarea.value = editor.isEmpty ? "" : tidy(editor.getHTML());
    },
    onTransaction: showState,
  });

  function showState() {
    for (const button of buttons) {
      const command = COMMANDS[button.dataset.command];
      if (command && command.active) {
        button.setAttribute("aria-pressed", String(command.active(editor)));
      }
    }
    toolbar.querySelector("[data-command=unlink]").disabled = !editor.isActive("link");
  }

  // The toolbar is one tab stop; arrow keys, Home and End move along it (the ARIA toolbar pattern).
  // Back to the text at once: Tiptap's focus command waits for the next frame, and keys pressed before
  // then would land on the toolbar or the link box and be lost.
  function backToText() {
    editor.view.focus();
  }

  function focusButton(button) {
    for (const b of buttons) b.tabIndex = b === button ? 0 : -1;
    button.focus();
  }
  toolbar.addEventListener("keydown", (event) => {
    const enabled = buttons.filter((b) => !b.disabled);
    const at = enabled.indexOf(document.activeElement);
    const moves = {
      ArrowRight: enabled[(at + 1) % enabled.length],
      ArrowLeft: enabled[(at - 1 + enabled.length) % enabled.length],
      Home: enabled[0],
      End: enabled[enabled.length - 1],
    };
    if (moves[event.key]) {
      event.preventDefault();
      focusButton(moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      backToText();
    }
  });
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    for (const b of buttons) b.tabIndex = b === button ? 0 : -1;
    if (button.dataset.command === "link") {
      openLinkBox();
      return;
    }
    COMMANDS[button.dataset.command].run(editor.chain().focus()).run();
    backToText();
  });

  // The link box: words of a headline find stories through the desk's search; an address links as typed.
  let searchTimer = null;
  let searchSeq = 0;

  function openLinkBox() {
    linkBox.hidden = false;
    linkButton.setAttribute("aria-expanded", "true");
    linkQuery.value = editor.getAttributes("link").href || "";
    linkStatus.textContent = "";
    linkResults.replaceChildren();
    linkQuery.focus();
    linkQuery.select();
  }

  function closeLinkBox() {
    linkBox.hidden = true;
    linkButton.setAttribute("aria-expanded", "false");
    backToText();
  }

  function applyLink(href, text) {
    const chain = editor.chain().focus();
    if (editor.state.selection.empty && !editor.isActive("link")) {
      chain.insertContent({ type: "text", text, marks: [{ type: "link", attrs: { href } }] }).run();
    } else {
      chain.extendMarkRange("link").setLink({ href }).run();
    }
    linkBox.hidden = true;
    linkButton.setAttribute("aria-expanded", "false");
    backToText();
  }

  function applyTypedAddress() {
    const address = linkQuery.value.trim();
    if (ADDRESS.test(address)) {
      applyLink(address, address);
    } else {
      linkStatus.textContent = root.dataset.notAnAddress;
    }
  }

  async function search(words) {
    const seq = ++searchSeq;
    linkStatus.textContent = root.dataset.searching;
    const url = `${root.dataset.linkSearchUrl}?${new URLSearchParams({ q: words })}`;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (seq !== searchSeq || !response.ok) return;
    const { results } = await response.json();
    linkResults.replaceChildren(
      ...results.map((story) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = `${story.headline} (${story.status})`;
        button.dataset.url = story.url;
        button.dataset.headline = story.headline;
        item.append(button);
        return item;
      }),
    );
    linkStatus.textContent = results.length ? "" : root.dataset.noResults;
  }

  linkQuery.addEventListener("input", () => {
    clearTimeout(searchTimer);
    const words = linkQuery.value.trim();
    if (!words || ADDRESS.test(words)) {
      linkResults.replaceChildren();
      linkStatus.textContent = "";
      return;
    }
    searchTimer = setTimeout(() => search(words), SEARCH_DELAY_MS);
  });
  linkBox.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closeLinkBox();
    } else if (event.key === "Enter" && event.target === linkQuery) {
      event.preventDefault(); // never submit the story from here
      // Enter takes an address as typed, or else the first story found; the arrow keys reach the others.
      const first = linkResults.querySelector("button");
      if (ADDRESS.test(linkQuery.value.trim()) || !first) applyTypedAddress();
      else applyLink(first.dataset.url, first.dataset.headline);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const choices = [linkQuery, ...linkResults.querySelectorAll("button")];
      const at = choices.indexOf(document.activeElement);
      if (at === -1) return;
      event.preventDefault();
      const next = event.key === "ArrowDown" ? Math.min(at + 1, choices.length - 1) : Math.max(at - 1, 0);
      choices[next].focus();
    }
  });
  linkResults.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button) applyLink(button.dataset.url, button.dataset.headline);
  });
  linkBox.querySelector("[data-link-apply]").addEventListener("click", applyTypedAddress);
  linkBox.querySelector("[data-link-cancel]").addEventListener("click", closeLinkBox);

  textarea.hidden = true;
  area.hidden = false;
  toolbar.hidden = false;
  root.querySelector(".body-editor-hint").hidden = false;
  buttons.forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
  showState();
  root.bodyEditor = editor; // for the desk's other scripts (autosave, merge)
  root.dispatchEvent(new CustomEvent("body-editor:ready", { bubbles: true, detail: { editor } }));
}

for (const root of document.querySelectorAll("[data-body-editor]")) {
  setUp(root);
}
