// The wire between headquarters and store devices: types and schemas both sides import.
export * from './errors.ts';
export * from './redemption.ts';
export * from './basket.ts';
export * from './devices.ts';
export * from './changes.ts';
