/**
 * `form`: the portal's support form (P-FORM-1..3). `get` returns the form to draw (menu text,
 * header text and fields) or null when the portal has none, or its form is not eligible any more
 * (P-FORM-2); `submit` creates exactly one ticket per idempotency key (core's submitForm), with
 * the files (base64, as `tickets.reply` takes them; P-EXT-3) on its first message.
 */
import { submitForm, supportFormView } from "@portal/core/usecases"
import { customerCallerOf } from "../Callers.ts"
import { FormSubmitInput, filesOf, input } from "../Inputs.ts"
import { run } from "../Run.ts"
import { customerProcedure, router, viewerProcedure } from "../trpc.ts"

export const formRouter = router({
  get: viewerProcedure.query(({ ctx }) => run(ctx, supportFormView(ctx.portal))),

  submit: customerProcedure.input(input(FormSubmitInput)).mutation(async ({ ctx, input }) => {
    const attachments = filesOf(input.attachments)
    const result = await run(
      ctx,
      submitForm(customerCallerOf(ctx), {
        values: input.values,
        idempotencyKey: input.idempotencyKey,
        attachments,
        ...(input.cc === undefined ? {} : { cc: input.cc }),
      }),
    )
    return { ticketId: result.ticketId, duplicate: result.duplicate }
  }),
})
