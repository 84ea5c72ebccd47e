/** A notebook of TypeScript cells on the project's tslab kernel, for tests that run small notebooks of their own. */
export function notebook(cells: string[], after: string[] = []): object {
  return {
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `c${i + 1}`,
      metadata: {},
      source: [source],
      outputs: [],
      execution_count: null,
    })),
    metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" }, georepro: { after } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
