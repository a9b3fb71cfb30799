// A chart's SVG (drawn by the Rust side, the same as in the PDF) put into the page itself: an
// <img> could not use the page's font, and a machine without a Chinese font would show boxes.
// Only drawing elements are kept (no script, no foreign content, no event or link attributes);
// data-* attributes stay (the MACC's bars name their measure in data-measure).

export function chartSvg(node: HTMLElement, svg: string) {
  const render = (text: string) => {
    const root = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    if (root.nodeName !== 'svg') {
      node.replaceChildren();
      return;
    }
    root.querySelectorAll('script, foreignObject, iframe, image, use').forEach((e) => e.remove());
    for (const el of [root, ...root.querySelectorAll('*')]) {
      for (const a of [...el.attributes]) {
        if (a.name.toLowerCase().startsWith('on') || a.name.toLowerCase().endsWith('href')) el.removeAttribute(a.name);
      }
    }
    const w = root.getAttribute('width');
    const h = root.getAttribute('height');
    if (!root.getAttribute('viewBox') && w && h) root.setAttribute('viewBox', `0 0 ${w} ${h}`);
    root.removeAttribute('width');
    root.removeAttribute('height');
    root.setAttribute('role', 'img');
    node.replaceChildren(document.importNode(root, true));
  };
  render(svg);
  return { update: render };
}
