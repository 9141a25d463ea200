import { belgianIbanFromBban, enterpriseNumberFromBase, structuredCommunicationCheck } from '../../core/belgian-ids.js';
import type { Random } from './random.js';

/** A Belgian company as the sandbox invents it: a dossier of the accountant, or a counterparty. */
export interface SandboxCompany {
  partyId: number;
  name: string;
  /** 10 digits, passes mod 97 (scheme 0208). */
  enterpriseNumber: string;
  /** "BE" + enterprise number. */
  vatNumber: string;
  street: string;
  postalCode: string;
  city: string;
  countryCode: 'BE';
  iban: string;
  bic: string;
  /** Bank identification number used in CODA headers (3 digits). */
  bankId: string;
  email: string;
}

const FIRST = ['Jansen', 'Peeters', 'Maes', 'Claes', 'Wouters', 'Goossens', 'De Smet', 'Dubois', 'Lambert', 'Mertens',
  'Willems', 'Van den Broeck', 'Dupont', 'Hermans', 'Lemmens', 'Michiels', 'Aerts', 'Vermeulen', 'Desmet', 'Leroy',
  'Martens', 'Jacobs', 'Verstraete', 'Renard', 'Cools', 'Smets', 'Declercq', 'Lejeune', 'Bogaert', 'Pauwels'];
const TRADE = ['Bouw', 'Schrijnwerkerij', 'Elektro', 'Consult', 'Bakkerij', 'Garage', 'Tuinaanleg', 'Boekhouding',
  'Transport', 'Dakwerken', 'Sanitair', 'Drukkerij', 'Catering', 'IT Services', 'Architectuur', 'Schilderwerken',
  'Menuiserie', 'Boulangerie', 'Informatique', 'Nettoyage'];
const FORMS = ['BV', 'NV', 'CommV', 'SRL', 'SA', 'VOF'];
const STREETS = ['Kerkstraat', 'Stationsstraat', 'Nieuwstraat', 'Dorpstraat', 'Molenstraat', 'Rue de la Station',
  'Rue de l\'Église', 'Grote Markt', 'Industrieweg', 'Brusselsesteenweg', 'Chaussée de Louvain', 'Kortrijksestraat'];
const CITIES: Array<[string, string]> = [['1000', 'Brussel'], ['2000', 'Antwerpen'], ['9000', 'Gent'], ['3000', 'Leuven'],
  ['8000', 'Brugge'], ['3500', 'Hasselt'], ['2800', 'Mechelen'], ['4000', 'Liège'], ['5000', 'Namur'], ['7000', 'Mons'],
  ['8500', 'Kortrijk'], ['9300', 'Aalst'], ['1300', 'Wavre'], ['6000', 'Charleroi']];
/** Bank identification numbers with their BIC (public Febelfin protocol codes). */
const BANKS: Array<[string, string, string]> = [['734', 'KREDBEBB', '725'], ['001', 'GEBABEBB', '200'], ['310', 'BBRUBEBB', '300'],
  ['068', 'GKCCBEBB', '001'], ['973', 'ARSPBE22', '973']];

/** Generates a realistic Belgian company; its enterprise number and IBAN pass their check digits. */
export function generateCompany(rnd: Random, partyId: number): SandboxCompany {
  const family = rnd.pick(FIRST);
  const name = `${rnd.chance(0.5) ? `${rnd.pick(TRADE)} ${family}` : `${family} ${rnd.pick(TRADE)}`} ${rnd.pick(FORMS)}`;
  const enterpriseNumber = enterpriseNumberFromBase(`0${rnd.int(200, 999)}${rnd.digits(4)}`);
  const [postalCode, city] = rnd.pick(CITIES);
  const [bankPrefix, bic, bankId] = rnd.pick(BANKS);
  const account7 = rnd.digits(7);
  const bban10 = `${bankPrefix}${account7}`;
  const bban = `${bban10}${structuredCommunicationCheck(bban10)}`;
  const slug = family.toLowerCase().replace(/[^a-z]/g, '');
  return {
    partyId,
    name,
    enterpriseNumber,
    vatNumber: `BE${enterpriseNumber}`,
    street: `${rnd.pick(STREETS)} ${rnd.int(1, 250)}`,
    postalCode,
    city,
    countryCode: 'BE',
    iban: belgianIbanFromBban(bban),
    bic,
    bankId,
    email: `boekhouding@${slug}-${partyId}.be`,
  };
}
