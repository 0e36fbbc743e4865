// How the manager's panels name a category (numbers, money and dates come from i18n/format.ts).

/** A category path for people: "dairy/milk" → "Dairy › milk". */
export const categoryName = (path: string) => {
  const text = path.split('/').join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
