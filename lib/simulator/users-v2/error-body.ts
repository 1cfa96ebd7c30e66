/**
 * The body of a Users Endpoint V2 error (UEV2 T9/T10): `{"Errors":[{"description","code"}]}` with
 * the HTTP status as a string.
 */
import type { UsersV2Error } from "../errors.ts";

export function usersV2ErrorBody(err: UsersV2Error): { Errors: { description: string; code: string }[] } {
  return { Errors: [{ description: err.description, code: String(err.status) }] };
}
