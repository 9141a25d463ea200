/** The platforms systray2 2.1.4 ships a helper binary for. */
const HELPER_PLATFORMS: readonly NodeJS.Platform[] = ['linux', 'win32', 'darwin'];

/**
 * Why no tray icon can be shown in this session, or null when one can be tried. On Linux and the
 * BSDs the helper is a GTK program: without an X or Wayland display it prints "cannot open display",
 * exits, and systray2's ready() then never settles, so this check runs before the helper does.
 * An office server run as a service has no display and is the common case here, not an error.
 */
export function whyNoTray(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform === 'win32' || platform === 'darwin') return null;
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  if (!HELPER_PLATFORMS.includes(platform)) return `systray2 has no tray helper for ${platform}`;
  return null;
}
