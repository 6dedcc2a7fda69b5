import { sign } from "@org/dcs-redislog-signer";
const endpoint = "https://dcs.eu-de.otc.t-systems.com";
const path = "/v2/a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71/instances/5560df16-cebf-4473-95c4-d1b573c16e79/redislog";
const date = new Date("2024-01-01T00:00:00Z");
const headers = { "Content-Type": "application/json", "X-Project-Id": "a4d31cb6-3d72-4fdc-8ec9-6e3a41e47f71" };
const ours = () => sign({ method: "GET", url: `${endpoint}${path}?log_type=run&offset=0&limit=10`, headers }, { ak: "AccessKey", sk: "SecretKey" }, { date });
const t = performance.now(); let n = 0;
while (performance.now() - t < 4000) { for (let i = 0; i < 1000; i++) await ours(); n += 1000; }
console.log(n / 4);
