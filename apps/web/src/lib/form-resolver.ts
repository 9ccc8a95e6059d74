import type { z } from 'zod';

/** Wording for people where the shared schemas keep zod's defaults; their own messages win. */
const friendly: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'too_small' && issue.minimum === 1) {
    return issue.origin === 'array' ? 'Choose at least one' : 'Required';
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'Enter a valid email address';
  if (issue.code === 'invalid_value') return 'Choose one of the options';
  if (issue.code === 'too_big' && typeof issue.maximum === 'number' && issue.origin === 'string') {
    return `At most ${issue.maximum} characters`;
  }
  return undefined;
};

/**
 * A Mantine form validator from one of the API's zod schemas: the form checks exactly what the
 * server will, field by field.
 */
export function zodFormResolver(schema: z.ZodType) {
  return (values: unknown): Record<string, string> => {
    const result = schema.safeParse(values, { error: friendly });
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      errors[issue.path.map(String).join('.')] ??= issue.message;
    }
    return errors;
  };
}
