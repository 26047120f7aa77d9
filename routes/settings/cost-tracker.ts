/**
 * @module
 * The settings controller's Cost Tracker routes: the currency settings (`/settings/cost-tracker`,
 * `…/edit`) and the product types and payment methods that costs are filed under (add, edit, delete),
 * in MainWP's order and wire shapes. Adds read a form or JSON body; edits need JSON, as in MainWP.
 *
 * @example
 * ```ts
 * registerCostTrackerSettingsRoutes(rest);
 * ```
 */
import { z } from "zod";
import { CREATABLE, DELETABLE, PUT_PATCH, READABLE, type RestServer } from "../../rest/server.ts";
import { restError } from "../../rest/errors.ts";
import { Conflict, InvalidInput, NotFound } from "../../core/errors.ts";
import {
  addPaymentMethod,
  addProductType,
  costTrackerEditSchema,
  deleteProductType,
  editCostTrackerSettings,
  editProductType,
  getCostTrackerSettings,
  paymentMethodSchema,
  productTypeSchema,
  setPaymentMethod,
} from "../../core/settings/cost-tracker.ts";
import { bodyFields, fromBody, invalidParam, requireJson, typed } from "../present/settings.ts";

const NS = "mainwp/v2";
const SLUG = "(?P<slug>[a-zA-Z0-9\\-\\.\\_]+)";

const slugArgs = z.object({ slug: z.string() });
const productTypeEditArgs = productTypeSchema.extend(slugArgs.shape);
const paymentMethodEditArgs = paymentMethodSchema.extend(slugArgs.shape);

/** MainWP's answers to the refusals of these routes (its errors carry no status; these are 400s). */
async function refusals<T>(kind: "product_type" | "payment_method", run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFound) {
      const what = kind === "product_type" ? "Product type" : "Payment method";
      throw invalidParam("slug", "invalid_slug", `${what} does not exist.`);
    }
    if (error instanceof Conflict) throw restError("duplicate_title", error.message, 400);
    if (error instanceof InvalidInput && error.entity === "product_type") {
      throw restError("invalid_title", error.message, 400);
    }
    throw error;
  }
}

/** An empty PHP array is `[]` on the wire. */
const phpMap = (m: Record<string, unknown>) => (Object.keys(m).length > 0 ? m : []);

/** Registers the Cost Tracker settings routes in MainWP's order. */
export function registerCostTrackerSettingsRoutes(rest: RestServer): void {
  rest.register(NS, "/settings/cost-tracker", {
    methods: READABLE,
    handler: async (req) => {
      const s = await getCostTrackerSettings(req.ctx);
      return {
        success: 1,
        data: {
          currency: s.currency,
          currency_position: s.currency_position,
          thousand_separator: s.thousand_separator,
          decimal_separator: s.decimal_separator,
          decimals: s.decimals,
          product_categories: s.product_categories,
          payment_methods: phpMap(s.payment_methods),
        },
      };
    },
  });
  rest.register(
    NS,
    "/settings/cost-tracker/edit",
    typed({
      methods: PUT_PATCH,
      args: costTrackerEditSchema,
      handler: async (req) => {
        requireJson(req);
        const data = await editCostTrackerSettings(req.ctx, fromBody(req, req.args));
        return { success: 1, message: "Cost tracker settings updated successfully.", data };
      },
    }),
  );
  rest.register(
    NS,
    "/settings/cost-tracker/product-types/add",
    typed({
      methods: CREATABLE,
      args: productTypeSchema,
      handler: async (req) => {
        bodyFields(req);
        const t = await refusals("product_type", () => addProductType(req.ctx, req.args));
        return {
          success: 1,
          message: "Product type added successfully.",
          data: { [t.slug]: { title: t.title, color: t.color, icon: t.icon } },
        };
      },
    }),
  );
  rest.register(
    NS,
    `/settings/cost-tracker/product-types/${SLUG}/edit`,
    typed({
      methods: PUT_PATCH,
      args: productTypeEditArgs,
      handler: async (req) => {
        requireJson(req);
        bodyFields(req);
        const { slug, ...input } = req.args;
        const t = await refusals("product_type", () => editProductType(req.ctx, slug, input));
        return {
          success: 1,
          message: "Product type updated successfully.",
          data: { [t.slug]: { title: t.title, color: t.color, icon: t.icon } },
        };
      },
    }),
  );
  rest.register(
    NS,
    `/settings/cost-tracker/product-types/${SLUG}/delete`,
    typed({
      methods: DELETABLE,
      args: slugArgs,
      handler: async (req) => {
        await refusals("product_type", () => deleteProductType(req.ctx, req.args.slug));
        return { success: 1, message: "Product type deleted successfully." };
      },
    }),
  );
  rest.register(
    NS,
    "/settings/cost-tracker/payment-methods/add",
    typed({
      methods: CREATABLE,
      args: paymentMethodSchema,
      handler: async (req) => {
        bodyFields(req);
        const m = await refusals("payment_method", () => addPaymentMethod(req.ctx, req.args.title));
        return { success: 1, message: "Payment method added successfully.", data: { [m.slug]: m.title } };
      },
    }),
  );
  rest.register(
    NS,
    `/settings/cost-tracker/payment-methods/${SLUG}/edit`,
    typed({
      methods: PUT_PATCH,
      args: paymentMethodEditArgs,
      handler: async (req) => {
        requireJson(req);
        bodyFields(req);
        const { slug, title } = req.args;
        await refusals("payment_method", () => setPaymentMethod(req.ctx, slug, title));
        return { success: 1, message: "Payment method updated successfully.", data: { [slug]: title } };
      },
    }),
  );
  rest.register(
    NS,
    `/settings/cost-tracker/payment-methods/${SLUG}/delete`,
    typed({
      methods: DELETABLE,
      args: slugArgs,
      handler: async (req) => {
        await refusals("payment_method", () => setPaymentMethod(req.ctx, req.args.slug, null));
        return { success: 1, message: "Payment method deleted successfully." };
      },
    }),
  );
}
