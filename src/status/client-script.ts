/**
 * The page's only script, served as /app.js: small enhancements over plain forms that work without
 * it. Live preview: an input with data-preview="URL" fetches URL?value=… as the user types and puts
 * the answer in the element named by data-preview-target.
 */
export const CLIENT_SCRIPT = `
document.addEventListener('input', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.preview) return;
  const target = document.getElementById(input.dataset.previewTarget || '');
  if (!target) return;
  clearTimeout(input._previewTimer);
  input._previewTimer = setTimeout(async () => {
    const url = input.dataset.preview + (input.dataset.preview.includes('?') ? '&' : '?') + 'value=' + encodeURIComponent(input.value);
    try {
      const response = await fetch(url, { credentials: 'same-origin' });
      target.textContent = await response.text();
    } catch { /* the preview is a convenience; the form still works */ }
  }, 200);
});
`;
