import { useEffect, useRef } from 'preact/hooks';
import JsBarcode from 'jsbarcode';

/** The list code as a Code 128 barcode the cashier's scanner reads, with the digits under it. */
export function ListBarcode({ code }: { code: string }) {
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (svg.current) JsBarcode(svg.current, code, { format: 'CODE128C', height: 48, width: 1.6, fontSize: 14, margin: 4 });
  }, [code]);
  return <svg ref={svg} class="member-list__barcode" role="img" aria-label={`List code ${code}`} />;
}
