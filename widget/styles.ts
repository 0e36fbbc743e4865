// Shared design tokens: every colour and size is a --larder-* custom property with a default.
import { css } from 'lit';

/** The dark palette, once: used by `theme="dark"` and by the system preference unless `theme="light"`. */
const dark = css`
  --_bg: var(--larder-background, #16201a);
  --_fg: var(--larder-color, #e6efe9);
  --_muted: var(--larder-muted-color, #a3b5a9);
  --_accent: var(--larder-accent, #4cc38a);
  --_accent-fg: var(--larder-accent-color, #0b1a12);
  --_offer: var(--larder-offer-color, #ff8a80);
  --_border: var(--larder-border-color, #2c3a31);
`;

export const tokens = css`
  :host {
    display: block;
    --_bg: var(--larder-background, #ffffff);
    --_fg: var(--larder-color, #1d2b22);
    --_muted: var(--larder-muted-color, #5b6b60);
    --_accent: var(--larder-accent, #1f7a4d);
    --_accent-fg: var(--larder-accent-color, #ffffff);
    --_offer: var(--larder-offer-color, #b3261e);
    --_border: var(--larder-border-color, #dfe6e1);
    --_radius: var(--larder-radius, 12px);
    --_font: var(--larder-font-family, system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    font-family: var(--_font);
    color: var(--_fg);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: calc(var(--_radius) / 1.5);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_accent-fg);
    padding: 0.45em 0.9em;
    min-height: 44px;
  }
  button.secondary {
    background: transparent;
    color: var(--_accent);
  }
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
