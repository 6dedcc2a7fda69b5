# Credentials and region from the environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
# HUAWEICLOUD_SDK_PROJECT_ID and DCS_REGION (e.g. eu-de).
dcs-redislog collect --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --days 7 \
  --replication 6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11

# Or the whole flow: collect, wait until the files are ready, download them.
dcs-redislog fetch --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --days 7 \
  --replication 6a2bc1e0-0f7e-4c69-9c5d-3b6f0e4a2d11 --out ./logs
