import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundledDataDir } from '../data-dir.js';

/**
 * What kind of network an autonomous system is:
 * - `hosting`: servers (cloud, VPS, dedicated, colocation, CDN, and the networks of VPN providers);
 * - `isp`: an access network whose addresses are mostly homes and small offices (fixed, cable, fibre, DSL,
 *   satellite, and operators that mix fixed and mobile);
 * - `mobile`: a mobile carrier (addresses behind carrier-grade NAT: many people share one);
 * - `education`: a university, school or research network;
 * - `business`: an organisation's own network (enterprise, bank, government), its people at work.
 * Null: Vigil cannot tell.
 */
export type AsnType = 'hosting' | 'isp' | 'mobile' | 'education' | 'business';

/** Where an AS's type came from, in the order they are asked. */
export type AsnTypeSource = 'curated' | 'x4bnet_datacenter_asn' | 'x4bnet_vpn_asn' | 'org_name';

/**
 * Well-known networks, typed by hand. They come first: they correct the two sources below where those are
 * wrong (X4BNet's datacenter ASN list holds a few access networks, and an org name like "Cable One" or
 * "Hutchison 3G" says nothing a rule can read reliably), and they keep the big access networks typed if a
 * rule changes. `name` is the AS's organisation as in @ip-location-db/asn (the tests check each number
 * against it). Mixed fixed-and-mobile operators are `isp`; an AS that is mostly a mobile network is `mobile`.
 */
export const curatedAsns: readonly { asn: number; type: AsnType | null; name: string }[] = [
  // Hosting, cloud and CDN (most are in X4BNet's list too; named here so that they never depend on it).
  { asn: 20473, type: 'hosting', name: 'The Constant Company (Vultr, ex-Choopa)' },
  { asn: 16276, type: 'hosting', name: 'OVH' },
  { asn: 24940, type: 'hosting', name: 'Hetzner Online' },
  { asn: 213230, type: 'hosting', name: 'Hetzner Online' },
  { asn: 212317, type: 'hosting', name: 'Hetzner Online' },
  { asn: 60068, type: 'hosting', name: 'Datacamp (CDN77)' },
  { asn: 212238, type: 'hosting', name: 'Datacamp (CDN77)' },
  { asn: 14061, type: 'hosting', name: 'DigitalOcean' },
  { asn: 63949, type: 'hosting', name: 'Akamai (Linode)' },
  { asn: 51167, type: 'hosting', name: 'Contabo' },
  { asn: 141995, type: 'hosting', name: 'Contabo' },
  { asn: 40021, type: 'hosting', name: 'Contabo' },
  { asn: 60781, type: 'hosting', name: 'LeaseWeb' },
  { asn: 28753, type: 'hosting', name: 'Leaseweb' },
  { asn: 16265, type: 'hosting', name: 'LeaseWeb' },
  { asn: 30633, type: 'hosting', name: 'Leaseweb' },
  { asn: 7203, type: 'hosting', name: 'Leaseweb' },
  { asn: 19148, type: 'hosting', name: 'Leaseweb' },
  { asn: 27411, type: 'hosting', name: 'Leaseweb' },
  { asn: 395954, type: 'hosting', name: 'Leaseweb' },
  { asn: 396190, type: 'hosting', name: 'Leaseweb' },
  { asn: 396362, type: 'hosting', name: 'Leaseweb' },
  { asn: 393886, type: 'hosting', name: 'Leaseweb' },
  { asn: 394380, type: 'hosting', name: 'Leaseweb' },
  { asn: 32613, type: 'hosting', name: 'Leaseweb' },
  { asn: 59253, type: 'hosting', name: 'LEASEWEB' },
  { asn: 205544, type: 'hosting', name: 'LEASEWEB' },
  { asn: 133752, type: 'hosting', name: 'LEASEWEB' },
  { asn: 16509, type: 'hosting', name: 'Amazon' },
  { asn: 14618, type: 'hosting', name: 'Amazon' },
  { asn: 8987, type: 'hosting', name: 'Amazon' },
  { asn: 15169, type: 'hosting', name: 'Google' },
  { asn: 396982, type: 'hosting', name: 'Google' },
  { asn: 19527, type: 'hosting', name: 'Google' },
  { asn: 8075, type: 'hosting', name: 'Microsoft (Azure)' },
  { asn: 31898, type: 'hosting', name: 'Oracle (Oracle Cloud)' },
  { asn: 36351, type: 'hosting', name: 'IBM Cloud' },
  { asn: 13335, type: 'hosting', name: 'Cloudflare' },
  { asn: 20940, type: 'hosting', name: 'Akamai' },
  { asn: 16625, type: 'hosting', name: 'Akamai' },
  { asn: 54113, type: 'hosting', name: 'Fastly' },
  { asn: 45102, type: 'hosting', name: 'Alibaba (Alibaba Cloud)' },
  { asn: 45090, type: 'hosting', name: 'Tencent (Tencent Cloud)' },
  { asn: 132203, type: 'hosting', name: 'Tencent (Tencent Cloud)' },
  { asn: 136907, type: 'hosting', name: 'HUAWEI (Huawei Cloud)' },
  { asn: 55990, type: 'hosting', name: 'Huawei Cloud' },
  { asn: 135377, type: 'hosting', name: 'UCLOUD' },
  { asn: 12876, type: 'hosting', name: 'Scaleway' },
  { asn: 9009, type: 'hosting', name: 'M247' },
  { asn: 8560, type: 'hosting', name: 'IONOS' },
  { asn: 6724, type: 'hosting', name: 'Strato' },
  { asn: 8972, type: 'hosting', name: 'Host Europe' },
  { asn: 197540, type: 'hosting', name: 'netcup' },
  { asn: 33070, type: 'hosting', name: 'Rackspace' },
  { asn: 19994, type: 'hosting', name: 'Rackspace' },
  { asn: 27357, type: 'hosting', name: 'Rackspace' },
  { asn: 15395, type: 'hosting', name: 'Rackspace' },
  { asn: 26496, type: 'hosting', name: 'GoDaddy' },
  { asn: 398101, type: 'hosting', name: 'GoDaddy' },
  { asn: 46606, type: 'hosting', name: 'Unified Layer (Bluehost)' },
  { asn: 22612, type: 'hosting', name: 'Namecheap' },
  { asn: 47583, type: 'hosting', name: 'Hostinger' },
  { asn: 36352, type: 'hosting', name: 'HostPapa (ColoCrossing)' },
  { asn: 54290, type: 'hosting', name: 'HostPapa (Hostwinds)' },
  { asn: 29802, type: 'hosting', name: 'HIVELOCITY' },
  { asn: 62904, type: 'hosting', name: 'Eonix' },
  { asn: 53667, type: 'hosting', name: 'FranTech (BuyVM)' },
  { asn: 55286, type: 'hosting', name: 'B2 Net Solutions (ServerMania)' },
  { asn: 40065, type: 'hosting', name: 'CNSERVERS' },
  { asn: 35916, type: 'hosting', name: 'MULTACOM' },
  { asn: 21859, type: 'hosting', name: 'Zenlayer' },
  { asn: 396356, type: 'hosting', name: 'Latitude.sh' },
  { asn: 49981, type: 'hosting', name: 'WorldStream' },
  { asn: 43350, type: 'hosting', name: 'NForce' },
  { asn: 50673, type: 'hosting', name: 'Serverius' },
  { asn: 46844, type: 'hosting', name: 'Sharktech' },
  { asn: 20454, type: 'hosting', name: 'SECURED SERVERS' },
  { asn: 3223, type: 'hosting', name: 'Voxility' },
  { asn: 29066, type: 'hosting', name: 'velia.net' },
  { asn: 9370, type: 'hosting', name: 'SAKURA Internet' },
  { asn: 37963, type: 'hosting', name: 'Hangzhou Alibaba Advertising (Alibaba Cloud)' },
  { asn: 137718, type: 'hosting', name: 'Beijing Volcano Engine (ByteDance cloud)' },
  { asn: 150436, type: 'hosting', name: 'Byteplus' },
  { asn: 8070, type: 'hosting', name: 'Microsoft' },
  { asn: 17378, type: 'hosting', name: 'TierPoint' },
  { asn: 15830, type: 'hosting', name: 'Equinix' },
  { asn: 30103, type: 'hosting', name: 'Zoom Video Communications' },
  { asn: 33055, type: 'hosting', name: 'Brinkster Communications (web hosting)' },
  { asn: 25148, type: 'hosting', name: 'ORANGE BUSINESS DIGITAL NORWAY (ex-Basefarm)' },
  { asn: 48173, type: 'hosting', name: 'Orange Business Digital Germany (ex-Unbelievable Machine)' },

  // Fixed-line and cable access networks, and operators that mix fixed and mobile.
  { asn: 7922, type: 'isp', name: 'Comcast Cable' },
  { asn: 7018, type: 'isp', name: 'AT&T' },
  { asn: 701, type: 'isp', name: 'Verizon (Fios)' },
  { asn: 20115, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 10796, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 11351, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 11426, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 11427, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 12271, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 20001, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 33363, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 7843, type: 'isp', name: 'Charter (Spectrum)' },
  { asn: 22773, type: 'isp', name: 'Cox Communications' },
  { asn: 5650, type: 'isp', name: 'Frontier Communications' },
  { asn: 209, type: 'isp', name: 'CenturyLink (Lumen)' },
  { asn: 6128, type: 'isp', name: 'Cablevision (Optimum)' },
  { asn: 19108, type: 'isp', name: 'Suddenlink (Optimum)' },
  { asn: 30036, type: 'isp', name: 'Mediacom' },
  { asn: 11492, type: 'isp', name: 'CABLE ONE (Sparklight)' },
  { asn: 6079, type: 'isp', name: 'RCN' },
  { asn: 12083, type: 'isp', name: 'WideOpenWest' },
  { asn: 27364, type: 'isp', name: 'Armstrong' },
  { asn: 13977, type: 'isp', name: 'Consolidated Communications' },
  { asn: 16591, type: 'isp', name: 'Google Fiber' },
  { asn: 7155, type: 'isp', name: 'ViaSat (satellite broadband)' },
  { asn: 14593, type: 'isp', name: 'Space Exploration Technologies (Starlink)' },
  { asn: 577, type: 'isp', name: 'Bell Canada' },
  { asn: 812, type: 'isp', name: 'Rogers' },
  { asn: 6327, type: 'isp', name: 'Shaw' },
  { asn: 852, type: 'isp', name: 'TELUS' },
  { asn: 5769, type: 'isp', name: 'Videotron' },
  { asn: 2856, type: 'isp', name: 'British Telecommunications (BT)' },
  { asn: 6871, type: 'isp', name: 'British Telecommunications (Plusnet)' },
  { asn: 5089, type: 'isp', name: 'Virgin Media' },
  { asn: 13285, type: 'isp', name: 'TalkTalk' },
  { asn: 5607, type: 'isp', name: 'Sky UK' },
  { asn: 5378, type: 'isp', name: 'Vodafone (UK fixed)' },
  { asn: 3320, type: 'isp', name: 'Deutsche Telekom' },
  { asn: 3209, type: 'isp', name: 'Vodafone (Germany, cable)' },
  { asn: 6805, type: 'isp', name: 'Telefonica Germany (O2)' },
  { asn: 8881, type: 'isp', name: '1&1 Versatel' },
  { asn: 3215, type: 'isp', name: 'Orange' },
  { asn: 12322, type: 'isp', name: 'Free' },
  { asn: 15557, type: 'isp', name: 'SFR' },
  { asn: 5410, type: 'isp', name: 'Bouygues Telecom' },
  { asn: 3352, type: 'isp', name: 'TELEFONICA DE ESPANA' },
  { asn: 12479, type: 'isp', name: 'Orange Espagne' },
  { asn: 12430, type: 'isp', name: 'VODAFONE ESPANA' },
  { asn: 3269, type: 'isp', name: 'Telecom Italia (TIM)' },
  { asn: 12874, type: 'isp', name: 'Fastweb' },
  { asn: 30722, type: 'isp', name: 'Vodafone Italia' },
  { asn: 1267, type: 'isp', name: 'WIND TRE' },
  { asn: 1136, type: 'isp', name: 'KPN' },
  { asn: 33915, type: 'isp', name: 'Vodafone Libertel (VodafoneZiggo)' },
  { asn: 6848, type: 'isp', name: 'Telenet' },
  { asn: 5432, type: 'isp', name: 'Proximus' },
  { asn: 2119, type: 'isp', name: 'Telenor Norge' },
  { asn: 25400, type: 'isp', name: 'Telia Norge (fixed and mobile, ex-Get cable)' },
  { asn: 29695, type: 'isp', name: 'Lyse Tele (Altibox)' },
  { asn: 3301, type: 'isp', name: 'Telia Company (Sweden)' },
  { asn: 1759, type: 'isp', name: 'Telia Finland' },
  { asn: 8434, type: 'isp', name: 'Telenor Sverige' },
  { asn: 9158, type: 'isp', name: 'Telenor (Denmark)' },
  { asn: 3292, type: 'isp', name: 'TDC' },
  { asn: 9121, type: 'isp', name: 'Turk Telekomunikasyon' },
  { asn: 9829, type: 'isp', name: 'Bharat Sanchar Nigam (BSNL)' },
  { asn: 24560, type: 'isp', name: 'Bharti Airtel (broadband)' },
  { asn: 9498, type: 'isp', name: 'Bharti Airtel' },
  { asn: 17488, type: 'isp', name: 'HATHWAY CABLE' },
  { asn: 24309, type: 'isp', name: 'Atria Convergence Technologies (ACT Fibernet)' },
  { asn: 18207, type: 'isp', name: 'YOU Broadband' },
  { asn: 4134, type: 'isp', name: 'Chinanet (China Telecom)' },
  { asn: 4812, type: 'isp', name: 'China Telecom' },
  { asn: 4837, type: 'isp', name: 'CHINA UNICOM' },
  { asn: 4808, type: 'isp', name: 'China Unicom' },
  { asn: 4713, type: 'isp', name: 'NTT Communications (OCN)' },
  { asn: 2516, type: 'isp', name: 'KDDI' },
  { asn: 17676, type: 'isp', name: 'SoftBank' },
  { asn: 4766, type: 'isp', name: 'Korea Telecom' },
  { asn: 9318, type: 'isp', name: 'SK Broadband' },
  { asn: 3786, type: 'isp', name: 'LG DACOM' },
  { asn: 17858, type: 'isp', name: 'LG POWERCOMM' },
  { asn: 3462, type: 'isp', name: 'Chunghwa Telecom' },
  { asn: 9269, type: 'isp', name: 'Hong Kong Broadband Network' },
  { asn: 1221, type: 'isp', name: 'Telstra' },
  { asn: 4804, type: 'isp', name: 'SingTel Optus' },
  { asn: 7545, type: 'isp', name: 'TPG' },
  { asn: 26599, type: 'isp', name: 'TELEFONICA BRASIL (Vivo)' },
  { asn: 18881, type: 'isp', name: 'TELEFONICA BRASIL (Vivo)' },
  { asn: 27699, type: 'isp', name: 'TELEFONICA BRASIL (Vivo)' },
  { asn: 28573, type: 'isp', name: 'Claro' },
  { asn: 8167, type: 'isp', name: 'V tal (Oi)' },
  { asn: 8151, type: 'isp', name: 'Uninet (Telmex)' },
  { asn: 13999, type: 'isp', name: 'Mega Cable' },
  { asn: 7303, type: 'isp', name: 'Telecom Argentina' },
  { asn: 12389, type: 'isp', name: 'Rostelecom' },
  { asn: 7713, type: 'isp', name: 'Telekomunikasi Indonesia' },
  { asn: 45899, type: 'isp', name: 'VNPT' },
  { asn: 7552, type: 'isp', name: 'Viettel' },
  { asn: 18403, type: 'isp', name: 'FPT Telecom' },
  { asn: 17552, type: 'isp', name: 'TRUE INTERNET' },
  { asn: 45758, type: 'isp', name: 'Triple T Broadband' },
  { asn: 9299, type: 'isp', name: 'Philippine Long Distance Telephone (PLDT)' },
  { asn: 4788, type: 'isp', name: 'TM TECHNOLOGY SERVICES (Telekom Malaysia)' },
  { asn: 1257, type: 'isp', name: 'Tele2 Sverige' },
  { asn: 6713, type: 'isp', name: 'Itissalat Al-MAGHRIB (Maroc Telecom)' },
  { asn: 5617, type: 'isp', name: 'Orange Polska' },
  { asn: 17506, type: 'isp', name: 'ARTERIA Networks' },
  { asn: 2519, type: 'isp', name: 'ARTERIA Networks' },
  { asn: 4230, type: 'isp', name: 'CLARO (Brazil, fixed)' },
  { asn: 9824, type: 'isp', name: 'JCOM' },
  { asn: 9617, type: 'isp', name: 'JCOM' },
  { asn: 6389, type: 'isp', name: 'AT&T (BellSouth)' },
  { asn: 2497, type: 'isp', name: 'Internet Initiative Japan' },
  { asn: 2518, type: 'isp', name: 'BIGLOBE' },
  { asn: 4685, type: 'isp', name: 'Asahi Net' },
  { asn: 10013, type: 'isp', name: 'FreeBit' },
  { asn: 4725, type: 'isp', name: 'SoftBank' },
  { asn: 9595, type: 'isp', name: 'NTT-ME' },
  { asn: 17511, type: 'isp', name: 'OPTAGE' },
  { asn: 3303, type: 'isp', name: 'Swisscom' },
  { asn: 6730, type: 'isp', name: 'Sunrise' },
  { asn: 17816, type: 'isp', name: 'China Unicom' },
  { asn: 19901, type: 'isp', name: 'Brightspeed' },
  { asn: 11776, type: 'isp', name: 'Breezeline' },
  { asn: 8048, type: 'isp', name: 'CANTV' },
  { asn: 37492, type: 'isp', name: 'Orange Tunisie' },
  { asn: 8402, type: 'isp', name: 'Vimpelcom (Beeline fixed)' },
  { asn: 3216, type: 'isp', name: 'Vimpelcom (Beeline)' },
  { asn: 16086, type: 'isp', name: 'DNA Oyj' },
  { asn: 10620, type: 'isp', name: 'Telmex Colombia' },
  { asn: 4760, type: 'isp', name: 'PCCW IMS (Netvigator)' },
  { asn: 8708, type: 'isp', name: 'DIGI ROMANIA' },
  { asn: 5713, type: 'isp', name: 'Telkom SA' },
  { asn: 37457, type: 'isp', name: 'Telkom SA' },
  { asn: 9924, type: 'isp', name: 'Taiwan Fixed Network' },
  { asn: 12741, type: 'isp', name: 'Netia' },
  { asn: 34984, type: 'isp', name: 'Superonline' },
  { asn: 7738, type: 'isp', name: 'V tal (Oi)' },
  { asn: 24863, type: 'isp', name: 'LINKdotNET' },
  { asn: 22047, type: 'isp', name: 'VTR BANDA ANCHA' },
  { asn: 6503, type: 'isp', name: 'Axtel' },
  { asn: 5610, type: 'isp', name: 'O2 Czech Republic' },
  { asn: 6739, type: 'isp', name: 'VODAFONE ONO' },
  { asn: 9198, type: 'isp', name: 'Kazakhtelecom' },
  { asn: 9443, type: 'isp', name: 'VOCUS' },
  { asn: 8551, type: 'isp', name: 'Bezeq International' },
  { asn: 9416, type: 'isp', name: 'Hoshin Multimedia Center' },
  { asn: 6830, type: 'isp', name: 'Liberty Global' },
  { asn: 23969, type: 'isp', name: 'TOT' },
  { asn: 9316, type: 'isp', name: 'DACOM-PUBNETPLUS' },
  { asn: 5466, type: 'isp', name: 'Eircom' },
  { asn: 7992, type: 'isp', name: 'Cogeco' },
  { asn: 11290, type: 'isp', name: 'Cogeco' },
  { asn: 855, type: 'isp', name: 'Bell Canada' },
  { asn: 5645, type: 'isp', name: 'TekSavvy' },
  { asn: 9145, type: 'isp', name: 'EWE TEL' },
  { asn: 4739, type: 'isp', name: 'iiNet' },
  { asn: 2764, type: 'isp', name: 'AAPT' },
  { asn: 29518, type: 'isp', name: 'Bredband2' },
  { asn: 9500, type: 'isp', name: 'One New Zealand' },
  { asn: 21334, type: 'isp', name: 'One Hungary' },
  { asn: 8866, type: 'isp', name: 'Vivacom' },
  { asn: 7470, type: 'isp', name: 'TRUE INTERNET' },
  { asn: 17621, type: 'isp', name: 'China Unicom' },
  { asn: 24608, type: 'isp', name: 'WIND TRE' },
  { asn: 19429, type: 'isp', name: 'ETB' },
  { asn: 23700, type: 'isp', name: 'Linknet' },
  { asn: 9848, type: 'isp', name: 'SEJONG' },
  { asn: 10036, type: 'isp', name: 'DLIVE' },
  { asn: 9457, type: 'isp', name: 'DREAMLINE' },
  { asn: 7679, type: 'isp', name: 'QTnet' },
  { asn: 9930, type: 'isp', name: 'TT DOTCOM (TIME)' },
  { asn: 23889, type: 'isp', name: 'MauritiusTelecom' },
  { asn: 14754, type: 'isp', name: 'Telgua' },
  { asn: 36290, type: 'isp', name: "The Cable of St. Kitts (in X4BNet's datacenter ASNs)" },
  { asn: 394330, type: 'isp', name: "LTD Broadband (in X4BNet's datacenter ASNs)" },

  // Mobile carriers.
  { asn: 55836, type: 'mobile', name: 'Reliance Jio Infocomm' },
  { asn: 45609, type: 'mobile', name: 'Bharti Airtel (mobile)' },
  { asn: 45271, type: 'mobile', name: 'Vodafone Idea' },
  { asn: 38266, type: 'mobile', name: 'Vodafone Idea' },
  { asn: 55410, type: 'mobile', name: 'Vodafone Idea' },
  { asn: 21928, type: 'mobile', name: 'T-Mobile USA' },
  { asn: 20057, type: 'mobile', name: 'AT&T (AT&T Mobility)' },
  { asn: 22394, type: 'mobile', name: 'Verizon (Verizon Wireless)' },
  { asn: 6167, type: 'mobile', name: 'Verizon (Verizon Wireless)' },
  { asn: 25135, type: 'mobile', name: 'Vodafone (UK mobile)' },
  { asn: 206067, type: 'mobile', name: 'Hutchison 3G UK' },
  { asn: 35228, type: 'mobile', name: 'Telefonica UK (O2)' },
  { asn: 12353, type: 'mobile', name: 'Vodafone Portugal - Communicacoes Pessoais' },
  { asn: 15897, type: 'mobile', name: 'Vodafone Telekomunikasyon (Turkey)' },
  { asn: 16135, type: 'mobile', name: 'TURKCELL' },
  { asn: 9605, type: 'mobile', name: 'NTT DOCOMO' },
  { asn: 9644, type: 'mobile', name: 'SK Telecom' },
  { asn: 24158, type: 'mobile', name: 'Taiwan Mobile' },
  { asn: 9808, type: 'mobile', name: 'China Mobile' },
  { asn: 56040, type: 'mobile', name: 'China Mobile' },
  { asn: 56041, type: 'mobile', name: 'China Mobile' },
  { asn: 56046, type: 'mobile', name: 'China Mobile' },
  { asn: 26615, type: 'mobile', name: 'TIM S/A (Brazil)' },
  { asn: 27831, type: 'mobile', name: 'Colombia Movil (Tigo)' },
  { asn: 28403, type: 'mobile', name: 'RadioMovil Dipsa (Telcel)' },
  { asn: 23693, type: 'mobile', name: 'Telekomunikasi Selular (Telkomsel)' },
  { asn: 4761, type: 'mobile', name: 'INDOSAT' },
  { asn: 132199, type: 'mobile', name: 'Globe Telecom' },
  { asn: 10139, type: 'mobile', name: 'Smart Broadband (Smart Communications)' },
  { asn: 10030, type: 'mobile', name: 'Celcom Axiata' },
  { asn: 8359, type: 'mobile', name: 'MTS' },
  { asn: 31213, type: 'mobile', name: 'MegaFon' },
  { asn: 131429, type: 'mobile', name: 'MOBIFONE' },
  { asn: 36992, type: 'mobile', name: 'ETISALAT MISR' },
  { asn: 26611, type: 'mobile', name: 'COMCEL (Claro Colombia)' },
  { asn: 16637, type: 'mobile', name: 'MTN SA' },
  { asn: 12091, type: 'mobile', name: 'MTN SA' },
  { asn: 36974, type: 'mobile', name: "MTN COTE D'IVOIRE" },
  { asn: 30986, type: 'mobile', name: 'Scancom (MTN Ghana)' },
  { asn: 37693, type: 'mobile', name: 'OOREDOO TUNISIE' },
  { asn: 36925, type: 'mobile', name: 'MEDITELECOM (Orange Maroc)' },
  { asn: 36884, type: 'mobile', name: 'Wana Corporate (inwi)' },
  { asn: 24835, type: 'mobile', name: 'Vodafone Data - Egypt' },
  { asn: 36935, type: 'mobile', name: 'Vodafone Data (Egypt)' },
  { asn: 35819, type: 'mobile', name: 'Etihad Etisalat (Mobily)' },
  { asn: 29975, type: 'mobile', name: 'Vodacom' },
  { asn: 33771, type: 'mobile', name: 'Safaricom' },
  { asn: 37168, type: 'mobile', name: 'Cell C' },
  { asn: 36926, type: 'mobile', name: 'Airtel Networks Kenya' },
  { asn: 37075, type: 'mobile', name: 'Airtel Uganda' },
  { asn: 55831, type: 'mobile', name: 'Aircel' },
  { asn: 50266, type: 'mobile', name: 'Odido Netherlands (ex-T-Mobile NL)' },
  { asn: 9141, type: 'mobile', name: 'P4 (Play)' },
  { asn: 22085, type: 'mobile', name: 'Claro S/A (Brazil mobile)' },
  { asn: 9050, type: 'mobile', name: 'Orange Romania' },
  { asn: 12302, type: 'mobile', name: 'Vodafone Romania' },
  { asn: 16019, type: 'mobile', name: 'Vodafone Czech Republic' },
  { asn: 3329, type: 'mobile', name: 'VODAFONE-PANAFON' },
  { asn: 133612, type: 'mobile', name: 'Vodafone Australia' },
  { asn: 12714, type: 'mobile', name: 'MegaFon' },
  { asn: 44034, type: 'mobile', name: 'Hi3G Access (Tre Sweden)' },
  { asn: 13127, type: 'mobile', name: 'Odido Netherlands' },
  { asn: 23201, type: 'mobile', name: 'Telecel (Tigo Paraguay)' },

  // Research and education networks whose names the rules do not read.
  { asn: 680, type: 'education', name: 'Deutschen Forschungsnetzes (DFN)' },
  { asn: 1103, type: 'education', name: 'SURF' },
  { asn: 1101, type: 'education', name: 'SURF' },
  { asn: 786, type: 'education', name: 'Jisc' },
  { asn: 137, type: 'education', name: 'GARR' },
  { asn: 2200, type: 'education', name: 'Renater' },
  { asn: 237, type: 'education', name: 'Merit Network' },
  { asn: 559, type: 'education', name: 'SWITCH' },
  { asn: 81, type: 'education', name: 'MCNC' },
  { asn: 2152, type: 'education', name: 'CENIC' },
  { asn: 1213, type: 'education', name: 'HEAnet' },
  { asn: 11537, type: 'education', name: 'Internet2' },
  { asn: 766, type: 'education', name: 'Red.es (RedIRIS)' },
  { asn: 2603, type: 'education', name: 'NORDUnet' },
  { asn: 2018, type: 'education', name: 'TENET' },
  { asn: 376, type: 'education', name: 'RISQ' },
  { asn: 224, type: 'education', name: 'SIKT (Norwegian research and education network)' },
  { asn: 378, type: 'education', name: 'IUCC' },
  { asn: 2611, type: 'education', name: 'BELNET' },
  { asn: 2852, type: 'education', name: 'CESNET' },
  { asn: 600, type: 'education', name: 'OARnet' },
  { asn: 7497, type: 'education', name: 'CNIC-CAS' },
  { asn: 6325, type: 'education', name: 'Illinois Century Network' },

  // Organisations' own networks.
  { asn: 749, type: 'business', name: 'Department of Defense' },
  { asn: 721, type: 'business', name: 'DoD Network Information Center' },
  { asn: 367, type: 'business', name: 'DoD Network Information Center' },
  { asn: 306, type: 'business', name: 'DoD Network Information Center' },
  { asn: 5972, type: 'business', name: 'DoD Network Information Center' },
  { asn: 27064, type: 'business', name: 'DoD Network Information Center' },
  { asn: 1540, type: 'business', name: 'USAISC' },
  { asn: 4010, type: 'business', name: 'USAISC' },
  { asn: 521, type: 'business', name: 'Ford Motor' },
  { asn: 31399, type: 'business', name: 'Mercedes-Benz' },
  { asn: 30383, type: 'business', name: 'General Motors' },
  { asn: 4249, type: 'business', name: 'Eli Lilly' },
  { asn: 7054, type: 'business', name: 'Merck' },
  { asn: 11003, type: 'business', name: 'Procter and Gamble' },
  { asn: 10695, type: 'business', name: 'Wal-Mart' },
  { asn: 1766, type: 'business', name: 'Exxon Mobil' },
  { asn: 72, type: 'business', name: 'Schlumberger' },
  { asn: 7792, type: 'business', name: '3M' },
  { asn: 4155, type: 'business', name: 'USDA' },
  { asn: 5774, type: 'business', name: 'United States Postal Service' },
  { asn: 270, type: 'business', name: 'National Aeronautics and Space Administration' },
  { asn: 209502, type: 'business', name: 'Electricite de France' },

  // Transit and backbone carriers: their customers are servers, offices and other networks alike, and
  // their names ("… Communications") would read as an ISP. Null: the AS cannot tell; the lists decide.
  { asn: 174, type: null, name: 'Cogent' },
  { asn: 3356, type: null, name: 'Level 3' },
  { asn: 3549, type: null, name: 'Level 3' },
  { asn: 1299, type: null, name: 'Arelion (Telia Carrier)' },
  { asn: 3257, type: null, name: 'GTT' },
  { asn: 6461, type: null, name: 'Zayo' },
  { asn: 6453, type: null, name: 'TATA COMMUNICATIONS (AMERICA)' },
  { asn: 2914, type: null, name: 'NTT America' },
  { asn: 3491, type: null, name: 'PCCW Global' },
  { asn: 6762, type: null, name: 'TELECOM ITALIA SPARKLE' },
  { asn: 4637, type: null, name: 'Telstra International' },
  { asn: 8220, type: null, name: 'COLT' },
  { asn: 37100, type: null, name: 'SEACOM' },
  { asn: 5006, type: null, name: 'Inteliquent' },
  { asn: 1273, type: null, name: 'Vodafone Group (carrier)' },
];

/**
 * Rules on the organisation's name, for the ASes nothing else types: the first that matches gives the type
 * (hosting words first, since "…Telecom Hosting" and "CHINANET … Internet Data Center" are hosting; an
 * organisation's own words before the telecom words, since a "Ministry of Communications" is not an ISP).
 * Whole words, case-insensitively; `host` also ends one (PowerHost, Interhost) and `universit` and
 * `universid` may sit inside one (InterUniversity, Universidade).
 */
export const orgNameRules: readonly { type: AsnType; words: RegExp; why: string }[] = [
  {
    type: 'hosting',
    words: /(\w*host(s|ing|ed|er|ers)?\b|\bhostinger|\b(cloud|data ?cent(er|re)s?|datacenters?|servers?|vps|vds|dedicated|colo(cation|crossing)?|idc|cdn|web services)\b)/i,
    why: 'hosting, cloud, datacenter, server, VPS, colocation, CDN',
  },
  {
    type: 'mobile',
    words: /\b(mobile|mobil|movil|móvil|movel|móvel|wireless|cellular|gsm|lte|mtn|vodacom|safaricom|ooredoo|zain|tigo|digicel|kyivstar|turkcell|megafon)\b/i,
    why: 'mobile, wireless, cellular; carriers that are mostly mobile (MTN, Vodacom, Safaricom, Ooredoo, Zain, Tigo, Digicel, Kyivstar, Turkcell, MegaFon)',
  },
  {
    type: 'education',
    words: /(\w*univers(it|id)\w*|\b(univ|college|school|academ\w*|research|education\w*|edu|polytechnic|hochschule|institute of technology|forschungsnetz)\b)/i,
    why: 'university, college, school, research, education',
  },
  {
    type: 'business',
    words: /\b(bank|banco|banque|insurance|versicherung\w*|department of|ministry|ministerio|government|gouvernement|federal|defen[cs]e|hospital)\b/i,
    why: 'bank, insurance, government department or ministry, hospital',
  },
  {
    type: 'isp',
    words:
      /\b(tele(com|comm|kom|coms|communications?|comunica[cç][oõ]es|comunicaciones|comunicazioni|komunikasi|komunikasyon|fonica|phone|fon)\w*|broadband|cable\w*|catv|communications?|comunica[cç][oõ]es|comunicaciones|isp|internet service\w*|fib(er|re)|fibra|dsl|vodafone|orange|telia|telenor|tele2|swisscom|claro|airtel|etisalat|telstra|optus|verizon|bezeq|proximus|kpn|virgin media|beeline|vimpelcom|movistar|entel|comcast|charter|spectrum)\b/i,
    why: 'telecom, broadband, cable, communications, ISP, internet service, fibre; the big operator groups (Vodafone, Orange, Telia, Telenor, …)',
  },
];

/** The type the organisation's name gives, by the rules above; null when no rule matches. */
export function typeFromOrgName(org: string): AsnType | null {
  for (const rule of orgNameRules) if (rule.words.test(org)) return rule.type;
  return null;
}

/** ASNs of an X4BNet input list: lines `AS123 # comment`. */
export function parseAsnList(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*AS(\d+)\b/i.exec(line);
    if (match) out.push(Number(match[1]));
  }
  return out;
}

/** The day @ip-location-db/asn was built, from its version (`2.3.YYYYMMDDHH`): the age of the ASN data. */
export function asnDataSnapshot(): string {
  const require = createRequire(import.meta.url);
  const { version } = require('@ip-location-db/asn/package.json') as { version: string };
  const match = /\.(\d{4})(\d{2})(\d{2})\d{0,2}$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : '1970-01-01';
}

/**
 * The type of every AS, decided once per AS and kept: the curated table, then X4BNet's datacenter and VPN
 * ASN lists (X4BNet/lists_vpn, MIT, bundled; their ranges are the `x4bnet_*` IP lists), then the rules
 * on the organisation's name. A lookup is one Map read.
 */
export class AsnTypes {
  private constructor(
    /** Every AS typed so far: the curated table at load, the others as they are first seen. */
    private readonly types: Map<number, AsnType | null>,
    private readonly sources: Map<number, AsnTypeSource>,
    private readonly x4bnet: Map<number, AsnTypeSource>,
    /** The ASN data's snapshot (YYYY-MM-DD): IP lists older than it yield to the AS type. */
    readonly snapshot: string,
  ) {}

  static load(dataDir: string = bundledDataDir): AsnTypes {
    const types = new Map<number, AsnType | null>();
    const sources = new Map<number, AsnTypeSource>();
    for (const { asn, type } of curatedAsns) {
      types.set(asn, type);
      sources.set(asn, 'curated');
    }
    const x4bnet = new Map<number, AsnTypeSource>();
    const read = (file: string) => parseAsnList(readFileSync(join(dataDir, 'ip/x4bnet', file), 'utf8'));
    for (const asn of read('input_datacenter_ASN.txt')) x4bnet.set(asn, 'x4bnet_datacenter_asn');
    // A VPN provider's own network is servers: hosting (its exits are the `x4bnet_vpn` IP list).
    for (const asn of read('input_vpn_ASN.txt')) if (!x4bnet.has(asn)) x4bnet.set(asn, 'x4bnet_vpn_asn');
    return new AsnTypes(types, sources, x4bnet, asnDataSnapshot());
  }

  /** How many ASes the curated table and X4BNet's two lists type. */
  get listed(): number {
    let n = this.x4bnet.size;
    for (const { asn } of curatedAsns) if (!this.x4bnet.has(asn)) n++;
    return n;
  }

  /** The type of AS `asn`, whose organisation is `org`; null when nothing tells. */
  of(asn: number, org: string | null): AsnType | null {
    const known = this.types.get(asn);
    if (known !== undefined) return known;
    if (org === null) return this.x4bnet.has(asn) ? 'hosting' : null;
    // Once per AS: decided the first time it is seen, and kept.
    const byName = typeFromOrgName(org);
    const listed = this.x4bnet.get(asn);
    // X4BNet's list is believed over the name, except for a university's network (it lists a few).
    const type = listed && byName !== 'education' ? 'hosting' : byName;
    this.types.set(asn, type);
    if (type) this.sources.set(asn, type === 'hosting' && listed ? listed : 'org_name');
    return type;
  }

  /** Which source typed AS `asn` (once `of` has seen it); null when none did. */
  sourceOf(asn: number): AsnTypeSource | null {
    return this.sources.get(asn) ?? null;
  }
}
