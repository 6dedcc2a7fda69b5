# Credentials and region from the environment: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
# HUAWEICLOUD_SDK_PROJECT_ID and DCS_REGION (e.g. eu-de).
# The link is valid for 24 hours and needs no credentials: treat it like a password.
dcs-redislog link --instance 5560df16-cebf-4473-95c4-d1b573c16e79 --log 3ea6ce21-048e-447a-83c3-3fb004b88439

# Or download the file under its own name.
dcs-redislog download --instance 5560df16-cebf-4473-95c4-d1b573c16e79 \
  --log 3ea6ce21-048e-447a-83c3-3fb004b88439 --out ./logs
