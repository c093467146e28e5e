/** The one error type of ThinkWatch and the tables that map its codes to HTTP statuses and bus error codes. */
export { AppError, isAppError, toAppError } from "./app-error.js";
export { ERROR_CODES, type ErrorCode, httpStatusOf, isErrorCode } from "./codes.js";
