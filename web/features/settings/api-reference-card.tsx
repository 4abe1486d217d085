// The service API reference, rendered from the same OpenAPI document the server serves at
// /api/v1/openapi.json (generated from the zod contracts), so what admins read next to the keys
// is what the routes validate. One collapsible block per operation: request, answer, errors.
import { useQuery } from '@tanstack/react-query';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';

const DOC_URL = '/api/v1/openapi.json';

interface Media {
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface OperationDoc {
  operationId: string;
  summary: string;
  description: string;
  requestBody?: { content: { 'application/json': Media } };
  responses: Record<string, { description: string; content: { 'application/json': Media } }>;
}
interface OpenApiDoc {
  info: { description: string };
  paths: Record<string, Record<string, OperationDoc>>;
}

async function loadDoc(): Promise<OpenApiDoc> {
  const res = await fetch(DOC_URL, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`The API reference could not be loaded (HTTP ${res.status})`);
  return (await res.json()) as OpenApiDoc;
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="bg-muted overflow-x-auto rounded-md p-3 text-xs break-all whitespace-pre-wrap">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Operation({ method, path, op }: { method: string; path: string; op: OperationDoc }) {
  const request = op.requestBody?.content['application/json'].example;
  const ok = op.responses['200']?.content['application/json'].example;
  const errors = Object.entries(op.responses).filter(([status]) => status !== '200');
  return (
    <details className="rounded-md border p-3">
      <summary className="flex cursor-pointer flex-wrap items-center gap-2">
        <Badge tone="outline" className="font-mono uppercase">
          {method}
        </Badge>
        <code className="text-sm break-all">/api/v1{path}</code>
        <span className="text-muted-foreground text-sm">{op.summary}</span>
      </summary>
      <div className="mt-3 flex min-w-0 flex-col gap-3 text-sm">
        <p>{op.description}</p>
        {request !== undefined && (
          <div>
            <h3 className="mb-1 font-medium">Request body</h3>
            <Json value={request} />
          </div>
        )}
        {ok !== undefined && (
          <div>
            <h3 className="mb-1 font-medium">200 answer</h3>
            <Json value={ok} />
          </div>
        )}
        <div>
          <h3 className="mb-1 font-medium">Errors</h3>
          <ul className="flex flex-col gap-1">
            {errors.map(([status, r]) => (
              <li key={status}>
                <span className="font-mono">{status}</span>{' '}
                <span className="text-muted-foreground">{r.description}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </details>
  );
}

export function ApiReferenceCard() {
  const doc = useQuery({ queryKey: ['service-api-openapi'], queryFn: loadDoc, staleTime: Infinity });
  return (
    <Card>
      <CardHeader>
        <CardTitle>API reference</CardTitle>
        <CardDescription>
          What your product&apos;s backend can call with a key. Machine-readable:{' '}
          <a className="underline" href={DOC_URL} target="_blank" rel="noreferrer">
            OpenAPI 3.1 document
          </a>
          ; a typed TypeScript client lives in the repository&apos;s <code>client/</code> folder.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex min-w-0 flex-col gap-2">
        {doc.isPending && <SkeletonRows rows={4} />}
        {doc.isError && <ErrorState error={doc.error} onRetry={() => void doc.refetch()} />}
        {doc.data && (
          <>
            <p className="text-muted-foreground text-sm">{doc.data.info.description}</p>
            {Object.entries(doc.data.paths).flatMap(([path, ops]) =>
              Object.entries(ops).map(([method, op]) => (
                <Operation key={op.operationId} method={method} path={path} op={op} />
              )),
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
