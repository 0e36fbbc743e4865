// The widget's Chinese, as one chunk: its own words and the reasons' (loaded by i18n/widget.ts when a page asks for it).
export { widget } from './widget.ts';
export { reasons } from './reasons.ts';
