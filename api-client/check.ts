// Compiles only if the client generated from the hub's OpenAPI document (generated/api.d.ts, by
// openapi-typescript) is valid TypeScript and still has the shapes the dashboard reads most.
import type { components, paths } from "./generated/api";

type PipelineStatus = components["schemas"]["PipelineStatus"];
type ErrorBody = components["schemas"]["ErrorBody"];
type StatusResponse = paths["/status"]["get"]["responses"]["200"]["content"]["application/json"];

export function describe(status: StatusResponse): string {
  const s: PipelineStatus = status;
  return `${s.running ? "running" : "stopped"}, ${s.recent_groups?.length ?? 0} recent groups`;
}

export function explain(error: ErrorBody): string {
  return `${error.code}: ${error.error}`;
}
