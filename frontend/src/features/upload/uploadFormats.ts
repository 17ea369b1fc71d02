/** The file endings the server converts; the server's 415 remains the final word. */
export const UPLOAD_EXTENSIONS = [".csv", ".tsv", ".csv.gz", ".tsv.gz", ".parquet"];

export const UPLOAD_ACCEPT = UPLOAD_EXTENSIONS.join(",");

export function isSupportedFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return UPLOAD_EXTENSIONS.some((extension) => lower.endsWith(extension));
}
