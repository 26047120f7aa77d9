/**
 * @module
 * The Cost Tracker's settings: currency and number format, product types (the five built-in ones plus
 * custom ones, each with a colour and an icon) and payment methods (MainWP's eight plus custom ones).
 * Costs are validated against these lists (`core/costs.ts`); the edit bodies' zod schemas carry
 * MainWP's validators and messages.
 *
 * @example
 * ```ts
 * await addPaymentMethod({ kv }, "Bank transfer"); // slug "bank-transfer"
 * (await paymentMethodSlugs({ kv })).includes("bank-transfer"); // true
 * ```
 */
import { z } from "zod";
import type { StoreDeps } from "../deps.ts";
import { Conflict, InvalidInput, NotFound } from "../errors.ts";
import { getSettingsSection, type SectionValues, updateSettingsSection } from "../../store/settings.ts";
import { sanitizeTextField, sanitizeTitle } from "../../wp/format.ts";
import { fail, strEnum, text } from "./fields.ts";

/** Built-in product types and their titles (they cannot be renamed or deleted). */
export const DEFAULT_PRODUCT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  plugin: "Plugin",
  theme: "Theme",
  hosting: "Hosting",
  service: "Service",
  other: "Other",
});
const DEFAULT_COLORS: Readonly<Record<string, string>> = Object.freeze({
  plugin: "#5ec130",
  theme: "#34afd8",
  hosting: "#f2e93a",
  service: "#ed1730",
  other: "#14f4fc",
});
const DEFAULT_ICONS: Readonly<Record<string, string>> = Object.freeze({
  plugin: "plug",
  theme: "tint",
  hosting: "server",
  service: "wrench",
  other: "folder",
});
/** MainWP's built-in payment methods. */
export const DEFAULT_PAYMENT_METHODS: Readonly<Record<string, string>> = Object.freeze({
  paypal: "PayPal",
  stripe: "Stripe",
  apple: "Apple Pay",
  amazon: "Amazon Pay",
  google: "Google Pay",
  credit_debit: "Credit Card",
  debit_card: "Debit Card",
  cash: "Cash",
});
/** Custom types and methods kept, at most: with {@link TITLE_MAX}, the section stays well below KV's 64 KiB. */
export const MAX_CUSTOM_ENTRIES = 40;
/** Longest title of a product type or payment method (its slug is stored three times). */
export const TITLE_MAX = 80;
const NEW_TYPE_COLOR = "#34424D";
const NEW_TYPE_ICON = "deficon:folder open";

/** The currency format (`currency_format`). */
export interface CurrencyFormat {
  currency_position: string;
  thousand_separator: string;
  decimal_separator: string;
  decimals: number;
}

/** One product type as listed. */
export interface ProductType {
  slug: string;
  title: string;
  icon: string;
  color: string;
}

/** The Cost Tracker settings. */
export interface CostTrackerSettings extends CurrencyFormat {
  currency: string;
  product_categories: ProductType[];
  /** The custom payment methods (slug → title); the built-in ones are not listed, as in MainWP. */
  payment_methods: Record<string, string>;
}

const CURRENCY_DEFAULTS: Readonly<CurrencyFormat> = Object.freeze({
  currency_position: "left",
  thousand_separator: ",",
  decimal_separator: ".",
  decimals: 2,
});

const currency = z.unknown().transform((value, ctx): string => {
  const code = typeof value === "string" ? sanitizeTextField(value) : "";
  if (code === "") return code;
  return Intl.supportedValuesOf("currency").includes(code)
    ? code
    : fail(ctx, "invalid_currency", "Invalid currency.");
}).meta({ type: "string", description: "ISO 4217 code" });

/** `PUT|PATCH /settings/cost-tracker/edit` (an empty value keeps the stored one, as in MainWP). */
export const costTrackerEditSchema = z.object({
  currency: currency.optional(),
  currency_position: strEnum("currency_position", ["left", "right", "left_space", "right_space"]).optional(),
  thousand_separator: text("thousand_separator", 8).optional(),
  decimal_separator: text("decimal_separator", 8).optional(),
});
/** A Cost Tracker settings edit. */
export type CostTrackerEdit = z.output<typeof costTrackerEditSchema>;

const color = z.unknown().transform((value, ctx): string => {
  const s = typeof value === "string" ? sanitizeTextField(value) : "";
  if (s === "" || /^#[A-Fa-f0-9]{6}$/.test(s)) return s;
  return fail(ctx, "invalid_color", 'Invalid color. Color must be in the format "#RRGGBB".');
}).meta({ type: "string", pattern: "^#[A-Fa-f0-9]{6}$" });
const icon = z.unknown().transform((value, ctx): string => {
  const s = typeof value === "string" ? sanitizeTextField(value) : "";
  if (s === "" || (s.length <= 64 && /^[a-z0-9_-]+:[a-z0-9_\-\s]+$/i.test(s))) return s;
  return fail(ctx, "invalid_icon", 'Invalid icon. Icon must be in the format "icon_type:icon_name".');
}).meta({ type: "string", description: "icon_type:icon_name" });

/** `POST /settings/cost-tracker/product-types/add` and `…/{slug}/edit`. */
export const productTypeSchema = z.object({
  title: text("title", TITLE_MAX),
  color: color.optional(),
  icon: icon.optional(),
});
/** A product type's fields. */
export type ProductTypeInput = z.output<typeof productTypeSchema>;

/** `POST /settings/cost-tracker/payment-methods/add` and `…/{slug}/edit`. */
export const paymentMethodSchema = z.object({ title: text("title", TITLE_MAX) });

function map(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

function currencyFormat(values: SectionValues): CurrencyFormat {
  const stored = values.currency_format && typeof values.currency_format === "object"
    ? values.currency_format as Partial<CurrencyFormat>
    : {};
  return { ...CURRENCY_DEFAULTS, ...stored };
}

/**
 * The Cost Tracker settings (MainWP's defaults for anything never set).
 *
 * @example
 * ```ts
 * (await getCostTrackerSettings({ kv })).currency; // "USD"
 * ```
 */
export async function getCostTrackerSettings({ kv }: StoreDeps): Promise<CostTrackerSettings> {
  const values = await getSettingsSection(kv, "cost_tracker");
  const titles = { ...DEFAULT_PRODUCT_TYPES, ...map(values.custom_product_types) };
  const colors = { ...DEFAULT_COLORS, ...map(values.product_types_colors) };
  const icons = { ...DEFAULT_ICONS, ...map(values.product_types_icons) };
  return {
    currency: typeof values.currency === "string" ? values.currency : "USD",
    ...currencyFormat(values),
    product_categories: Object.entries(icons).map(([slug, i]) => ({
      slug,
      title: Object.hasOwn(titles, slug) ? titles[slug] : "",
      icon: i,
      color: Object.hasOwn(colors, slug) ? colors[slug] : NEW_TYPE_COLOR,
    })),
    payment_methods: map(values.custom_payment_methods),
  };
}

/**
 * Changes the currency settings; empty values keep the stored ones. Returns the currency and format.
 *
 * @example
 * ```ts
 * await editCostTrackerSettings({ kv }, { currency: "EUR", currency_position: "right_space" });
 * ```
 */
export async function editCostTrackerSettings(
  { kv }: StoreDeps,
  edit: CostTrackerEdit,
): Promise<{ currency: string; currency_format: CurrencyFormat }> {
  const values = await updateSettingsSection(kv, "cost_tracker", (v) => {
    if (!edit.currency && !edit.currency_position && !edit.thousand_separator && !edit.decimal_separator) {
      return null;
    }
    const format = currencyFormat(v);
    return {
      ...v,
      currency: edit.currency || (typeof v.currency === "string" ? v.currency : "USD"),
      currency_format: {
        ...format,
        currency_position: edit.currency_position || format.currency_position,
        thousand_separator: edit.thousand_separator || format.thousand_separator,
        decimal_separator: edit.decimal_separator || format.decimal_separator,
      },
    };
  });
  return {
    currency: typeof values.currency === "string" ? values.currency : "USD",
    currency_format: currencyFormat(values),
  };
}

/** The slug of a new type or method; {@link InvalidInput} when the title makes none. */
function slugOf(title: string): string {
  const slug = sanitizeTitle(title);
  // `__proto__` would be an own key everywhere here, but no client expects it as a slug.
  if (slug === "" || slug === "__proto__") {
    throw new InvalidInput("title", "The title must contain letters or digits.", "settings");
  }
  return slug;
}

type Kind = "product_type" | "payment_method";
const CUSTOM_KEY: Record<Kind, string> = {
  product_type: "custom_product_types",
  payment_method: "custom_payment_methods",
};
const DUPLICATE: Record<Kind, string> = {
  product_type: "Duplicate product type. Please choose another one.",
  payment_method: "Duplicate payment method. Please choose another one.",
};

/** Writes a custom type or method; `apply` gets the section and returns it changed. */
async function writeCustom(kv: Deno.Kv, apply: (values: SectionValues) => SectionValues): Promise<void> {
  await updateSettingsSection(kv, "cost_tracker", apply);
}

/**
 * Adds a custom product type (slug from the title). {@link Conflict} when a type has that slug already
 * (built-in ones included).
 *
 * @example
 * ```ts
 * await addProductType({ kv }, { title: "Domain" }); // { slug: "domain", title: "Domain", … }
 * ```
 */
export async function addProductType({ kv }: StoreDeps, input: ProductTypeInput): Promise<ProductType> {
  const slug = slugOf(input.title);
  const type = {
    slug,
    title: input.title,
    color: input.color || NEW_TYPE_COLOR,
    icon: input.icon || NEW_TYPE_ICON,
  };
  await writeCustom(kv, (v) => {
    const titles = map(v.custom_product_types);
    if (Object.hasOwn(titles, slug) || Object.hasOwn(DEFAULT_PRODUCT_TYPES, slug)) {
      throw new Conflict("product_type", 0, DUPLICATE.product_type);
    }
    if (Object.keys(titles).length >= MAX_CUSTOM_ENTRIES) {
      throw new InvalidInput(
        "title",
        `At most ${MAX_CUSTOM_ENTRIES} product types can be added.`,
        "settings",
      );
    }
    return setType(v, type);
  });
  return type;
}

function setType(v: SectionValues, type: ProductType): SectionValues {
  return {
    ...v,
    custom_product_types: { ...map(v.custom_product_types), [type.slug]: type.title },
    product_types_colors: { ...map(v.product_types_colors), [type.slug]: type.color },
    product_types_icons: { ...map(v.product_types_icons), [type.slug]: type.icon },
  };
}

/**
 * Changes a product type's title, colour and icon (omitted colour and icon reset to MainWP's defaults,
 * as MainWP does). A built-in type keeps its title ({@link InvalidInput} `title` otherwise);
 * {@link NotFound} for an unknown slug.
 *
 * @example
 * ```ts
 * await editProductType({ kv }, "hosting", { title: "Hosting", color: "#000000" });
 * ```
 */
export async function editProductType(
  { kv }: StoreDeps,
  slug: string,
  input: ProductTypeInput,
): Promise<ProductType> {
  const type = {
    slug,
    title: input.title,
    color: input.color || NEW_TYPE_COLOR,
    icon: input.icon || NEW_TYPE_ICON,
  };
  await writeCustom(kv, (v) => {
    const builtIn = Object.hasOwn(DEFAULT_PRODUCT_TYPES, slug);
    if (!builtIn && !Object.hasOwn(map(v.custom_product_types), slug)) {
      throw new NotFound("product_type", slug);
    }
    if (builtIn && input.title !== DEFAULT_PRODUCT_TYPES[slug]) {
      throw new InvalidInput("title", "Cannot change title of default product type.", "product_type");
    }
    return setType(v, type);
  });
  return type;
}

/**
 * Deletes a custom product type. Built-in types cannot be deleted ({@link InvalidInput} `title`);
 * {@link NotFound} for an unknown slug. Costs filed under it keep their value.
 *
 * @example
 * ```ts
 * await deleteProductType({ kv }, "domain");
 * ```
 */
export async function deleteProductType({ kv }: StoreDeps, slug: string): Promise<void> {
  await writeCustom(kv, (v) => {
    if (Object.hasOwn(DEFAULT_PRODUCT_TYPES, slug)) {
      throw new InvalidInput("title", "Cannot delete of default product type.", "product_type");
    }
    const titles = map(v.custom_product_types);
    if (!Object.hasOwn(titles, slug)) throw new NotFound("product_type", slug);
    const drop = (m: unknown) => Object.fromEntries(Object.entries(map(m)).filter(([k]) => k !== slug));
    return {
      ...v,
      custom_product_types: drop(titles),
      product_types_colors: drop(v.product_types_colors),
      product_types_icons: drop(v.product_types_icons),
    };
  });
}

/**
 * Adds a custom payment method; {@link Conflict} when one has that slug already.
 *
 * @example
 * ```ts
 * await addPaymentMethod({ kv }, "Invoice"); // { slug: "invoice", title: "Invoice" }
 * ```
 */
export async function addPaymentMethod(
  { kv }: StoreDeps,
  title: string,
): Promise<{ slug: string; title: string }> {
  const slug = slugOf(title);
  await writeCustom(kv, (v) => {
    const methods = map(v[CUSTOM_KEY.payment_method]);
    if (Object.hasOwn(methods, slug) || Object.hasOwn(DEFAULT_PAYMENT_METHODS, slug)) {
      throw new Conflict("payment_method", 0, DUPLICATE.payment_method);
    }
    if (Object.keys(methods).length >= MAX_CUSTOM_ENTRIES) {
      throw new InvalidInput(
        "title",
        `At most ${MAX_CUSTOM_ENTRIES} payment methods can be added.`,
        "settings",
      );
    }
    return { ...v, custom_payment_methods: { ...methods, [slug]: title } };
  });
  return { slug, title };
}

/**
 * Renames (`title`) or deletes (`null`) a custom payment method; {@link NotFound} for a slug that names
 * no custom method (the built-in ones cannot be changed, as in MainWP).
 *
 * @example
 * ```ts
 * await setPaymentMethod({ kv }, "invoice", "Invoice (30 days)");
 * ```
 */
export async function setPaymentMethod({ kv }: StoreDeps, slug: string, title: string | null): Promise<void> {
  await writeCustom(kv, (v) => {
    const methods = map(v.custom_payment_methods);
    if (!Object.hasOwn(methods, slug)) throw new NotFound("payment_method", slug);
    if (title === null) delete methods[slug];
    else methods[slug] = title;
    return { ...v, custom_payment_methods: methods };
  });
}

/**
 * The product type slugs costs may use: the built-in ones and the custom ones.
 *
 * @example
 * ```ts
 * await productTypeSlugs({ kv }); // ["plugin", "theme", "hosting", "service", "other", …]
 * ```
 */
export async function productTypeSlugs({ kv }: StoreDeps): Promise<string[]> {
  const values = await getSettingsSection(kv, "cost_tracker");
  return [
    ...new Set([...Object.keys(DEFAULT_PRODUCT_TYPES), ...Object.keys(map(values.custom_product_types))]),
  ];
}

/**
 * The payment methods costs may name: every built-in and custom method by slug or by title.
 *
 * @example
 * ```ts
 * (await paymentMethodSlugs({ kv })).includes("paypal"); // true
 * ```
 */
export async function paymentMethodSlugs({ kv }: StoreDeps): Promise<string[]> {
  const values = await getSettingsSection(kv, "cost_tracker");
  const all = { ...DEFAULT_PAYMENT_METHODS, ...map(values.custom_payment_methods) };
  return [...new Set([...Object.keys(all), ...Object.values(all)])];
}
