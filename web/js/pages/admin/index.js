// Administration — placeholder until built.
export const strings = { zh: {}, en: {} };
export const routes = [];
