import { inkOn } from '../contrast.ts';

const TEXT = '#1a1a1a';
const MUTED = '#4b5563'; // 7.6:1 on white
const BORDER = '#6b7280'; // 4.8:1 on white: visible control edges

/** Mobile-first page styles; the brand colour only ever sits behind black or white text chosen by luminance. */
export function pageStyles(brandColor: string): string {
  const ink = inkOn(brandColor);
  return `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:${TEXT};background:#f3f4f6}
.brand{background:${brandColor};color:${ink};padding:.875rem 1.25rem}
.brand p{margin:0 auto;max-width:40rem;font-weight:700;font-size:1.125rem}
main{display:block;max-width:40rem;margin:0 auto;padding:1.5rem 1.25rem 2rem;background:#fff}
h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}
h2{font-size:1.125rem;margin:0 0 .5rem}
p{margin:0 0 1rem}
a{color:${TEXT};text-underline-offset:2px}
fieldset{border:0;padding:0;margin:0 0 1.5rem;min-width:0}
legend{padding:0;margin-bottom:.75rem}
legend h1{margin:0}
.question{display:block;font-weight:700;font-size:1.125rem;line-height:1.4}
.scores{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:.5rem}
.scores-5{grid-template-columns:repeat(5,minmax(0,1fr))}
.score{position:relative}
.score input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
.score label{display:flex;align-items:center;justify-content:center;min-height:2.75rem;border:2px solid ${BORDER};border-radius:.5rem;font-weight:600;font-size:1.0625rem;cursor:pointer;background:#fff;user-select:none}
.score label:hover{border-color:${TEXT}}
.score input:checked+label{background:${brandColor};border-color:${brandColor};color:${ink};box-shadow:inset 0 0 0 2px ${ink}}
.ends{display:flex;justify-content:space-between;gap:1rem;font-size:.875rem;color:${MUTED};margin:.5rem 0 0}
.ends span:last-child{text-align:right}
.field{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;color:${MUTED};font-size:.875rem;font-weight:400}
textarea{display:block;width:100%;min-height:6.5rem;font:inherit;padding:.625rem .75rem;border:2px solid ${BORDER};border-radius:.5rem;margin:.25rem 0 1.5rem;resize:vertical}
button{display:block;width:100%;min-height:2.75rem;font:inherit;font-weight:600;padding:.625rem 1.25rem;border-radius:.5rem;border:2px solid ${brandColor};background:${brandColor};color:${ink};cursor:pointer}
button.secondary{background:#fff;color:${TEXT};border-color:${BORDER}}
:focus-visible{outline:3px solid ${TEXT};outline-offset:2px}
.score input:focus-visible+label{outline:3px solid ${TEXT};outline-offset:2px}
.choice{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem 0;border-top:1px solid #e5e7eb}
.choice:last-child{border-bottom:1px solid #e5e7eb}
.choice input{width:1.375rem;height:1.375rem;margin:.125rem 0 0;flex:none;accent-color:${TEXT}}
.choice label{font-weight:600;cursor:pointer}
.notice{border-left:4px solid ${TEXT};background:#eef2f6;padding:.75rem 1rem;margin:0 0 1.5rem}
.notice p:last-child{margin:0}
.error{color:#b00020;font-weight:600;margin:0 0 .5rem}
.section{margin-top:2rem;padding-top:1.5rem;border-top:1px solid #e5e7eb}
footer{max-width:40rem;margin:0 auto;padding:1rem 1.25rem 2rem;font-size:.875rem;color:${MUTED}}
footer a{color:${MUTED}}
@media (min-width:36rem){
  main{margin:2rem auto 0;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:2rem 2.5rem}
  .scores-11{grid-template-columns:repeat(11,minmax(0,1fr))}
  button{display:inline-block;width:auto}
  h1{font-size:1.5rem}
}
@media (forced-colors:active){.score input:checked+label{forced-color-adjust:none;background:Highlight;color:HighlightText}}
`;
}
